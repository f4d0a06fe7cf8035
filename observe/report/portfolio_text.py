"""A portfolio as terminal text and as JSON, with each criterion's levels over time drawn as
one row of characters (the command line and the app's screen share ``level_row``).

User text (notes, summaries, reflections, names) is escaped here, line by line, so that no
control character runs and no newline inside a note starts a line that looks like ours.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from observe.core.portfolio import span, waves
from observe.core.portfolio_model import Point, Portfolio, Series, Theme
from observe.core.untrusted import escape_controls, json_text

BLOCKS = "▁▂▃▄▅▆▇█"
NOT_OBSERVED = "·"
WIDTH = 88
THEMES_SHOWN = 6  # the most recurring; JSON and the PDF list every one
STATE_WORDS = {"open": "open", "done": "done", "dropped": "dropped", None: "agreed earlier"}


def one_line(text: str) -> str:
    """User text on one line: controls (newlines too) shown as escapes."""
    return escape_controls(text)


def level_char(level: int | None, scale: Sequence[int]) -> str:
    """A level as a block as high as its place on the scale; "·" for not observed."""
    if level is None or not scale:
        return NOT_OBSERVED
    values = list(scale)
    place = values.index(level) if level in values else 0
    top = max(1, len(values) - 1)
    return BLOCKS[round(place * (len(BLOCKS) - 1) / top)]


NOT_RATED = " "


def level_row(
    points: Sequence[Point], scale: Sequence[int], sessions: Sequence[str] | None = None
) -> str:
    """One character per observation, oldest first. With ``sessions`` (every observation
    under the framework, in order) the rows of all criteria line up: a blank where this
    criterion was not rated that time."""
    if sessions is None:
        return "".join(level_char(p.level, scale) for p in points)
    by_session = {p.session: p for p in points}
    return "".join(
        level_char(by_session[s].level, scale) if s in by_session else NOT_RATED for s in sessions
    )


def sessions_of(p: Portfolio, series: Series) -> list[str]:
    """The observations under the series' framework, oldest first: the columns of its rows."""
    return [o.session for o in p.observations if o.framework == series.framework]


def in_words(title: str, points: Sequence[Point]) -> str:
    """The row said in words: "R1 Builds trust: Developing (2025-09-22), Secure (...)"."""
    seen = ", ".join(f"{p.label} ({p.date.isoformat()})" for p in points)
    return f"{title}: {seen}"


def story(p: Portfolio) -> list[str]:
    """The opening lines: how many observations, over what span and waves."""
    n = len(p.observations)
    if not n:
        return ["No finished observations yet."]
    first, last = span(p) or (None, None)
    word = "observation" if n == 1 else "observations"
    line = f"{n} {word}"
    if first and last:
        line += f" from {first.isoformat()} to {last.isoformat()}" if first != last else ""
        line += f" on {first.isoformat()}" if first == last else ""
    ws = waves(p)
    if ws:
        line += f", in wave{'s' if len(ws) > 1 else ''} {', '.join(ws)}"
    return [one_line(line) + "."]


def left_out_line(p: Portfolio, demo_hint: str = " (--demo shows them)") -> str:
    parts = []
    left = p.left_out
    if left.get("unfinished"):
        parts.append(f"{left['unfinished']} still in progress")
    if left.get("co_observed"):
        parts.append(f"{left['co_observed']} co-observed (counted once, as the agreed record)")
    if left.get("demo"):
        parts.append(f"{left['demo']} demo{demo_hint}")
    return "Not counted: " + "; ".join(parts) + "." if parts else ""


def _wrap(text: str, indent: str) -> list[str]:
    out = []
    for raw in text.split("\n"):
        line = one_line(raw)
        out += textwrap.wrap(line, WIDTH, initial_indent=indent, subsequent_indent=indent) or [
            indent.rstrip()
        ]
    return out


def _theme_lines(themes: Sequence[Theme], everything: bool) -> list[str]:
    out = []
    for t in themes if everything else themes[:THEMES_SHOWN]:
        word = "observation" if t.observations == 1 else "observations"
        out.append(f"  {one_line(t.criterion)} {one_line(t.title)} ({t.observations} {word})")
        # The latest line in the observers' words (else the latest rating): where they are now.
        shown = t.evidence if everything else [e for e in t.evidence if e.source == "note"][-1:]
        for e in shown or t.evidence[-1:]:
            out += _wrap(f"{e.date.isoformat()}  {e.text}", "      ")
    rest = [] if everything else themes[THEMES_SHOWN:]
    if rest:
        codes = ", ".join(one_line(t.criterion) for t in rest)
        out += _wrap(f"and {len(rest)} more, less often: {codes}", "  ")
    return out


def _chart(p: Portfolio, series: Series) -> list[str]:
    values = [v for v, _ in series.scale]
    columns = sessions_of(p, series)
    key = "  ".join(f"{level_char(v, values)} {label}" for v, label in series.scale)
    key += f"  {NOT_OBSERVED} not observed, blank: not rated"
    out = [f"{one_line(series.title)}  ({one_line(key)})"]
    width = max((len(c) for c, _, _ in series.criteria), default=0)
    for crit, title, points in series.criteria:
        label = one_line(crit).ljust(width)
        out.append(f"  {label}  {level_row(points, values, columns)}  {one_line(title)}")
    return out


def to_text(p: Portfolio) -> str:
    who = one_line(p.facilitator)
    heading = f"Portfolio of {who}" + (" (your own record)" if p.own else "")
    heading += " - demo data" if p.demo else ""
    lines = [heading, "=" * min(WIDTH, len(heading))]
    lines += story(p)
    if note := left_out_line(p):
        lines.append(note)
    if not p.names:
        lines.append("People are shown as pseudonymous codes (--names shows names).")
    lines += ["", "Strengths that recur"]
    lines += _theme_lines(p.strengths, everything=False) or ["  None yet recur."]
    lines += ["", "Themes to develop"]
    lines += _theme_lines(p.development, everything=False) or ["  None yet recur."]
    lines += ["", "Agreed actions and what became of them"]
    for a in p.actions:
        by = f", by {a.by.isoformat()}" if a.by else ""
        state = STATE_WORDS.get(a.state, a.state or "") + (", past its date" if a.past else "")
        changed = f" on {a.changed.isoformat()}" if a.changed and a.state != "open" else ""
        agreed = a.agreed.isoformat() if a.agreed else "earlier"
        lines += _wrap(f"{agreed}  {a.text}{by} [{state}{changed}]", "  ")
        for f in a.follow_ups:
            lines.append(f"      followed up {f.date.isoformat()}: {f.mark_label}")
            for note in f.evidence:
                lines += _wrap(note, "        ")
    if not p.actions:
        lines.append("  No actions agreed yet.")
    lines += ["", "Ratings over time (one mark per observation, oldest first)"]
    for series in p.ratings:
        lines += _chart(p, series)
    if not p.ratings:
        lines.append("  No ratings yet.")
    lines += ["", "Observations, and what the observer said"]
    said = {w.session: w for w in p.summaries}
    for o in p.observations:
        where = ", ".join(one_line(x) for x in (o.region, o.partner) if x)
        wave = f"wave {one_line(o.wave)}" if o.wave else "no wave"
        lines.append(f"  {o.date.isoformat()}  {wave}  {one_line(o.title) or '(untitled)'}")
        with_ = (
            f"; with {', '.join(one_line(c) for c in o.co_facilitators)}"
            if o.co_facilitators
            else ""
        )
        by = f"observed by {one_line(o.observer) or 'nobody named'}{with_}"
        lines.append(f"      {where}; {by}" if where else f"      {by[0].upper()}{by[1:]}")
        words = said.get(o.session)
        for heading, text in (
            ("Strengths", words.strengths if words else ""),
            ("To develop", words.development if words else ""),
            ("Summary", words.summary if words else ""),
        ):
            if text:
                lines += _wrap(f"{heading}: {text}", "      ")
    their = "your" if p.own else "their"
    lines += ["", f"In {their} own words"]
    for r in p.reflections:
        lines.append(f"  {r.date.isoformat()}")
        if r.reflection:
            lines += _wrap(r.reflection, "      ")
        if r.disagreement:
            lines += _wrap(f"Where they see it differently: {r.disagreement}", "      ")
    if not p.reflections:
        lines.append("  No reflections written yet.")
    lines += ["", f"What {'you' if p.own else 'they'} hoped to show, and what was seen"]
    for sa in p.self_assessments:
        lines.append(f"  {sa.date.isoformat()}")
        if sa.overall:
            lines += _wrap(sa.overall, "      ")
        for h in sa.hopes:
            lines += _wrap(f"{h.criterion} {h.title}: {h.text or '(no words)'}", "      ")
            lines.append(f"          seen: {one_line(h.seen)}")
    if not p.self_assessments:
        lines.append("  No self-assessments written yet.")
    return "\n".join(lines) + "\n"


def to_json(p: Portfolio) -> str:
    return json_text(p.to_json()) + "\n"
