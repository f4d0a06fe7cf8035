"""The Jinja2 environment for reports: templates and stylesheets in report/templates/.

Autoescape is on for everything: note text is untrusted, and must come out as typed.
Stylesheets are not in the HTML: ``render_pdf`` applies them, parsed once per process.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).with_name("templates")


def elapsed(seconds: float | None) -> str:
    """Observation time as "m:ss", or "h:mm:ss" past the hour."""
    total = max(0, round(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_time(moment: datetime | None) -> str:
    """Wall-clock time of day, as the observer saw it ("14:05")."""
    return moment.strftime("%H:%M") if moment else ""


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["elapsed"] = elapsed
    env.filters["clock"] = clock_time
    return env


def render_template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
