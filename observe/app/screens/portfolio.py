"""A facilitator's portfolio on screen: their story, ratings over time as a row of marks per
criterion, the strengths and themes that recur, actions and what became of them, their own
words. The same data as ``observe portfolio`` (observe.services.portfolio); ``e`` writes the
PDF in a worker, ``n`` shows names or codes (a lead's view; one's own always has names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, ProgressBar, Static

from observe.app.plain import one_line, plain, styled
from observe.app.screens.base import ObserveModal, ObserveScreen

if TYPE_CHECKING:
    from observe.core.portfolio_model import Portfolio
    from observe.services.portfolio import Person

SECTIONS = ("story", "strengths", "development", "actions", "chart", "words", "visits")
THEMES_SHOWN = 6


Parts = list[str | tuple[str, str]]


def _content(parts: Parts) -> Content:
    """The parts as one Content, without the newline that ends the last line."""
    while parts and parts[-1] == "\n":
        parts = parts[:-1]
    return styled(*parts)


def _theme_lines(themes: list, none: str) -> Content:
    if not themes:
        return styled((none, "italic"))
    parts: list[str | tuple[str, str]] = []
    for t in themes[:THEMES_SHOWN]:
        parts += [
            (f"{one_line(t.criterion)} ", "bold"),
            one_line(t.title),
            (f"  in {t.observations} observations", "dim"),
        ]
        line = next((e for e in reversed(t.evidence) if e.source == "note"), None)
        if line is not None:
            parts += [f"\n   {one_line(line.text)} ", (f"({line.date.isoformat()})", "dim")]
        parts.append("\n")
    rest = themes[THEMES_SHOWN:]
    if rest:
        parts.append((f"and less often: {', '.join(one_line(t.criterion) for t in rest)}", "dim"))
    return _content(parts)


def chart(p: Portfolio) -> Content:
    """Per framework, per criterion: a row of level marks, oldest first, and its title."""
    from observe.report.portfolio_text import NOT_OBSERVED, level_char, level_row, sessions_of

    if not p.ratings:
        return styled(("No ratings yet.", "italic"))
    parts: list[str | tuple[str, str]] = []
    for series in p.ratings:
        values = [v for v, _ in series.scale]
        key = "  ".join(f"{level_char(v, values)} {label}" for v, label in series.scale)
        parts += [
            (one_line(series.title), "bold"),
            (f"  {key}  {NOT_OBSERVED} not observed, blank: not rated\n", "dim"),
        ]
        width = max(len(c) for c, _, _ in series.criteria)
        columns = sessions_of(p, series)
        for crit, title, points in series.criteria:
            row = level_row(points, values, columns)
            parts += [
                (one_line(crit).ljust(width), "bold"),
                f"  {row}  ",
                (one_line(title), "dim"),
                "\n",
            ]
    return _content(parts)


def sections(p: Portfolio) -> dict[str, Content]:
    from observe.report.portfolio import page
    from observe.report.portfolio_text import left_out_line

    pg = page(p)
    actions: list[str | tuple[str, str]] = []
    for a, became in pg.actions:
        agreed = a.agreed.isoformat() if a.agreed else "earlier"
        actions += [one_line(a.text), (f"  agreed {agreed} · {one_line(became)}", "dim"), "\n"]
    words: list[str | tuple[str, str]] = []
    for r in p.reflections:
        words += [
            (f"{r.date.isoformat()}  ", "bold"),
            one_line(r.reflection or r.disagreement),
            "\n",
        ]
    for sa in p.self_assessments:
        words += [(f"{sa.date.isoformat()}  hoped to show: ", "bold")]
        hopes = (f"{h.criterion} ({h.text or 'no words'}), seen: {h.seen}" for h in sa.hopes)
        words += [
            one_line("; ".join(hopes)),
            one_line(f" {sa.overall}") if sa.overall else "",
            "\n",
        ]
    visits: list[str | tuple[str, str]] = []
    for v in pg.visits:
        o = v.observation
        visits += [(f"{o.date.isoformat()}  ", "bold"), one_line(o.title or "(untitled)")]
        wave = f"wave {o.wave} · " if o.wave else ""
        region = f"{o.region} · " if o.region else ""
        who = one_line(f"{wave}{region}observed by {o.observer or 'nobody named'}")
        visits.append((f"\n   {who}", "dim"))
        if v.words and v.words.strengths:
            visits.append(f"\n   Strengths: {one_line(v.words.strengths)}")
        if v.words and v.words.development:
            visits.append(f"\n   To develop: {one_line(v.words.development)}")
        visits.append("\n")
    story: list[str | tuple[str, str]] = [(one_line(pg.heading), "bold"), "\n", one_line(pg.story)]
    # The app's words for the command line's options: n shows names; demo ones are not listed.
    left_out = left_out_line(p, demo_hint="")
    for aside in (left_out, pg.codes_note.replace("--names", "n")):
        if aside:
            story += ["\n", (aside, "dim")]
    return {
        "story": styled(*story),
        "chart": chart(p),
        "strengths": _theme_lines(p.strengths, "Nothing recurs yet."),
        "development": _theme_lines(p.development, "No theme recurs yet."),
        "actions": _content(actions) if actions else styled(("No actions agreed yet.", "italic")),
        "words": _content(words) if words else styled(("Nothing written yet.", "italic")),
        "visits": _content(visits) if visits else styled(("No observations yet.", "italic")),
    }


TITLES = {
    "chart": "Ratings over time (one mark per observation, oldest first)",
    "strengths": "Strengths that recur",
    "development": "Themes to develop",
    "actions": "Agreed actions and what became of them",
    "words": "In their own words: reflections and what they hoped to show",
    "visits": "Each observation, the latest first",
}


class PortfolioScreen(ObserveScreen[None]):
    HELP_TITLE = "Portfolio"
    HELP = (
        "One facilitator's finished observations across waves: how their ratings moved per"
        " criterion (a mark per observation, higher for a higher level; · not observed, a"
        " blank not rated), the strengths and themes that recur in more than one observation,"
        " the actions agreed and what became of them, and their own reflections. Your own"
        " record shows names; anyone else's shows people as codes until n. It compares"
        " nobody with anybody."
    )
    BINDINGS = [
        Binding(
            "e",
            "export",
            "PDF",
            id="portfolio.export",
            tooltip="Write the portfolio PDF into exports/",
        ),
        Binding(
            "n",
            "names",
            "Names",
            id="portfolio.names",
            tooltip="Show people's names instead of codes (a lead's view), or codes again",
        ),
        Binding(
            "right_square_bracket",
            "section(1)",
            "Next part",
            id="portfolio.next",
            tooltip="Scroll to the next part: strengths, themes, actions, ratings, words, visits",
        ),
        Binding(
            "left_square_bracket",
            "section(-1)",
            "Previous part",
            id="portfolio.previous",
            show=False,
            tooltip="Scroll to the previous part",
        ),
        Binding("escape", "back", "Back", id="portfolio.back", tooltip="Back to the sessions"),
    ]

    def __init__(self, facilitator: str, *, demo: bool = False) -> None:
        super().__init__()
        self.facilitator = facilitator
        self.demo = demo
        self.names = False
        self.portfolio: Portfolio | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="portfolio-body", can_focus=True):
            yield Static("Reading the observations…", id="portfolio-story", markup=False)
            for key in SECTIONS[1:]:
                yield Static(
                    TITLES[key],
                    id=f"portfolio-{key}-title",
                    classes="portfolio-heading",
                    markup=False,
                )
                yield Static("", id=f"portfolio-{key}", markup=False)
        with Vertical(id="portfolio-progress-box"):
            yield Static("", id="portfolio-status", markup=False)
            yield ProgressBar(id="portfolio-progress", total=3, show_eta=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#portfolio-progress-box").display = False
        self.query_one(VerticalScroll).focus()
        self.load()

    @work(
        thread=True,
        exclusive=True,
        group="portfolio",
        exit_on_error=False,
        name="reading a portfolio",
    )
    def load(self) -> None:
        from observe.core.errors import ObserveError
        from observe.services.portfolio import portfolio_for

        ws = self.observe_app.workspace
        try:
            found = portfolio_for(ws, self.facilitator, demo=self.demo, names=self.names)
        except ObserveError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, found)

    def _failed(self, message: str) -> None:
        self.query_one("#portfolio-story", Static).update(plain(message))

    def _show(self, found: Portfolio) -> None:
        self.portfolio = found
        self.sub_title = found.facilitator
        for key, content in sections(found).items():
            self.query_one(f"#portfolio-{key}", Static).update(content)
        words = TITLES["words"].replace("their", "your").replace("they", "you")
        self.query_one("#portfolio-words-title", Static).update(
            words if found.own else TITLES["words"]
        )

    def action_section(self, step: int) -> None:
        body = self.query_one(VerticalScroll)
        tops = [w.virtual_region.y for w in self.query(".portfolio-heading")]
        here = round(body.scroll_target_y)  # where a jump just asked for, though not yet drawn
        ahead = [y for y in tops if y > here] if step > 0 else [y for y in tops if y < here]
        if ahead:
            body.scroll_to(y=ahead[0] if step > 0 else ahead[-1], animate=False)
        elif step < 0:
            body.scroll_home(animate=False)

    def action_names(self) -> None:
        if self.portfolio is not None and self.portfolio.own:
            self.notify("This is your own record: it always shows names.", timeout=3)
            return
        self.names = not self.names  # the title shows which: a name or a code
        self.load()

    def action_export(self) -> None:
        self.query_one("#portfolio-progress-box").display = True
        self.query_one("#portfolio-progress", ProgressBar).update(progress=0)
        self.export()

    def _step(self, done: int, text: str) -> None:
        self.query_one("#portfolio-status", Static).update(plain(text))
        self.query_one("#portfolio-progress", ProgressBar).update(progress=done)

    @work(
        thread=True,
        exclusive=True,
        group="portfolio-pdf",
        exit_on_error=False,
        name="writing a portfolio PDF",
    )
    def export(self) -> None:
        from observe.core.errors import ObserveError
        from observe.services.portfolio import portfolio_for, save_pdf

        step = self.app.call_from_thread
        ws = self.observe_app.workspace
        step(self._step, 0, "Reading the observations…")
        try:
            found = portfolio_for(ws, self.facilitator, demo=self.demo, names=self.names)
            step(self._step, 1, "Rendering the PDF (a few seconds)…")
            path = save_pdf(ws, found, None, False)
        except ObserveError as exc:
            step(self._step, 0, f"Not written: {exc}")
            step(self.notify, plain(str(exc)), severity="error")
            return
        step(self._step, 3, f"Written: {path}")
        step(self.notify, plain(f"Written: {path}"), timeout=8)

    def action_back(self) -> None:
        self.dismiss(None)


class ChoosePerson(ObserveModal["int | None"]):
    """A co-delivered session: whose portfolio? Escape chooses nobody."""

    HELP_TITLE = "Whose portfolio?"
    HELP = "Pick a facilitator with the arrows and Enter. Escape goes back."
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="portfolio_choose.cancel",
            tooltip="Go back; nothing opens",
        ),
    ]

    def __init__(self, people: list[Person]) -> None:
        super().__init__()
        self.people = people

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-box"):
            yield Static("[b]Whose portfolio?[/b]\nThe session was co-delivered.")
            yield OptionList(*[plain(p.name) for p in self.people], id="choose-list")
            yield Static("Enter opens their portfolio   Esc back", classes="dialog-text")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
