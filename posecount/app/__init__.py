"""`posecount app`: a local browser app for the patient (plan, live session, end screen) and the
physiotherapist (profiles, a recorded video's report), served on 127.0.0.1 by posecount itself.

Layout: `security` (token and Host checks), `coach_session` (the live coach in a thread, its
frames and state), `home` (today's plan, last sessions, chart data), `video_jobs` (a recorded
video analysed in the background), `texts` (every word on screen, nl and en), `server` (the
routes), `launcher` (a menu entry), `static/` (HTML, JS, CSS and pictures: nothing from elsewhere).
"""
