"""Lays out `ReportData` as one self-contained HTML page with a Jinja2 template (autoescaped)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from posecount.report.summary import ReportData

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              autoescape=jinja2.select_autoescape(["html", "j2"]),
                              undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False)


def render_html(data: ReportData, parts: list[ReportData] | None = None) -> str:
    """The report page: inline CSS, inline SVG chart, key frames as data URIs; no external reference.
    `parts`: one section per video under `data`'s header and trend (default: `data` alone)."""
    return _environment().get_template("report.html.j2").render(r=data, parts=parts or [data])
