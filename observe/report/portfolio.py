"""A facilitator's portfolio as a PDF: their story first, then the chart, then each observation.

Page one is the story in a few lines: how many observations over what span, the strengths
that recur (each with one line of evidence), the themes they are developing, and the actions
they agreed with what became of them. Then the ratings over time as small multiples (one
panel per criterion, with the same said in words beneath for anyone who cannot see the
chart), then each observation in detail: what the observer said, what they hoped to show
beside what was seen, and their own reflections. Written to them when it is their own
record, about them (by code unless names were asked for) when a lead reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from observe.core.portfolio import span, waves
from observe.core.portfolio_model import (
    ActionTaken,
    Observation,
    Portfolio,
    Reflection,
    SelfAssessed,
    SessionWords,
    Theme,
    ThemeEvidence,
)
from observe.report.portfolio_text import in_words, left_out_line
from observe.report.svg import Panel, small_multiples
from observe.report.templates import render_template

STYLESHEET = "portfolio.css"
THEMES_ON_PAGE_ONE = 4
ACTIONS_ON_PAGE_ONE = 5  # the latest; every one is in the detail with its observation
STATE_WORDS = {"open": "still open", "done": "done", "dropped": "set aside"}


@dataclass
class Highlight:
    theme: Theme
    line: ThemeEvidence | None  # the one line of evidence page one shows


@dataclass
class Visit:
    """One observation in the detail: what was seen and said, and their own words."""

    observation: Observation
    words: SessionWords | None
    reflection: Reflection | None
    hoped: list[SelfAssessed]
    actions: list[tuple[ActionTaken, str]]  # agreed in it, with what became of each


@dataclass
class Chart:
    title: str
    svg: Markup
    in_words: list[str]
    dates: str  # the observations the x axis runs over, in words


@dataclass
class PortfolioPage:
    p: Portfolio
    title: str
    heading: str
    you: bool  # written to them (their own record)
    story: str
    strengths: list[Highlight]
    more_strengths: list[Theme]
    development: list[Highlight]
    more_development: list[Theme]
    actions: list[tuple[ActionTaken, str]]  # the latest first, with what became of each
    charts: list[Chart]
    visits: list[Visit]
    left_out: str
    codes_note: str
    actions_shown: int = ACTIONS_ON_PAGE_ONE


def _best_line(theme: Theme) -> ThemeEvidence | None:
    """A note in the observers' words if there is one (the latest), else the latest rating."""
    notes = [e for e in theme.evidence if e.source == "note"]
    return (notes or theme.evidence or [None])[-1]


def _became(action: ActionTaken) -> str:
    parts = []
    if action.state in STATE_WORDS:
        changed = f" ({action.changed.strftime('%-d %b %Y')})" if action.changed else ""
        parts.append(STATE_WORDS[action.state] + (changed if action.state != "open" else ""))
        if action.past:
            parts[-1] += ", past the date agreed"
    for f in action.follow_ups:
        parts.append(f"followed up {f.date.strftime('%-d %b %Y')}: {f.mark_label}")
    return "; ".join(parts) or "agreed"


def _story(p: Portfolio, you: bool) -> str:
    n = len(p.observations)
    who = "You have" if you else f"{p.facilitator} has"
    if not n:
        return f"{who} no finished observations yet."
    first, last = span(p) or (p.observations[0].date, p.observations[0].date)
    times = {1: "once", 2: "twice"}.get(n, f"{n} times")
    if first == last:
        when = f"on {first.strftime('%-d %B %Y')}"
    elif (first.year, first.month) == (last.year, last.month):
        when = f"in {first.strftime('%B %Y')}"
    else:
        when = f"between {first.strftime('%B %Y')} and {last.strftime('%B %Y')}"
    ws = waves(p)
    in_waves = f", across wave{'s' if len(ws) > 1 else ''} {', '.join(ws)}" if ws else ""
    observers = len({o.observer for o in p.observations if o.observer})
    by = f", by {observers} colleague{'s' if observers != 1 else ''}" if observers else ""
    return f"{who} been observed {times} {when}{in_waves}{by}."


def charts(p: Portfolio) -> list[Chart]:
    out = []
    for series in p.ratings:
        sessions = [o.session for o in p.observations if o.framework == series.framework]
        where = {s: i for i, s in enumerate(sessions)}
        panels, words = [], []
        for crit, title, points in series.criteria:
            values: list[float | None] = [None] * len(sessions)
            unobserved = []
            for point in points:
                i = where.get(point.session)
                if i is None:
                    continue
                values[i] = point.level
                if point.level is None:
                    unobserved.append(i)
            panels.append(Panel(crit, tuple(values), tuple(unobserved)))
            words.append(in_words(f"{crit} {title}", points))
        dates = [o.date.strftime("%-d %b %Y") for o in p.observations if o.session in where]
        svg = small_multiples(
            panels,
            levels=[(v, label) for v, label in series.scale],
            title=f"{series.title}: levels per criterion over {len(sessions)} observations",
        )
        out.append(Chart(series.title, svg, words, ", ".join(dates)))
    return out


def page(p: Portfolio) -> PortfolioPage:
    you = p.own
    heading = "Your portfolio" if you else f"Portfolio of {p.facilitator}"
    strengths = [Highlight(t, _best_line(t)) for t in p.strengths[:THEMES_ON_PAGE_ONE]]
    development = [Highlight(t, _best_line(t)) for t in p.development[:THEMES_ON_PAGE_ONE]]
    said = {w.session: w for w in p.summaries}
    reflected = {r.session: r for r in p.reflections}
    visits = [
        Visit(
            o,
            said.get(o.session),
            reflected.get(o.session),
            [s for s in p.self_assessments if s.session == o.session],
            [(a, _became(a)) for a in p.actions if a.session == o.session],
        )
        for o in reversed(p.observations)  # the latest first: where they are now
    ]
    codes = "" if p.names else "People are shown as pseudonymous codes; --names shows names."
    return PortfolioPage(
        p=p,
        title=f"{heading} · peer observation" + (" (demo data)" if p.demo else ""),
        heading=heading,
        you=you,
        story=_story(p, you),
        strengths=strengths,
        more_strengths=p.strengths[THEMES_ON_PAGE_ONE:],
        development=development,
        more_development=p.development[THEMES_ON_PAGE_ONE:],
        actions=[(a, _became(a)) for a in reversed(p.actions)],
        charts=charts(p),
        visits=visits,
        left_out=left_out_line(p),
        codes_note=codes,
    )


def portfolio_html(p: Portfolio) -> str:
    return render_template("portfolio.html", pg=page(p))


def portfolio_pdf(p: Portfolio) -> bytes:
    from observe.report.render import render_pdf

    return render_pdf(portfolio_html(p), STYLESHEET)
