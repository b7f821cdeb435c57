"""Progress over the weeks: the history of sessions and the leaflet's weekly plan.

records (plain data) · rules (the plan's numbers) · plan (today's targets, pure) ·
history (the SQLite file) · summary and chart (what `history` shows) · commands (CLI).
"""
