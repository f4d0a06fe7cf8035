"""Hostile text through every PDF: it prints as typed, in typed order, and changes nothing else.

Markup, a closing tag, a script, template syntax, bidi controls, control characters, a very
long word and emoji: in notes, the summary, the response, titles and names, through the
feedback PDF and the collated PDF.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from observe.core.collate import Filters
from observe.core.frameworks import load_all
from observe.core.models import Action, NoteKind, Response
from observe.report.collated_pdf import collated_html
from observe.report.collated_pdf import render as render_collated
from observe.report.feedback import STYLESHEET, feedback_html
from observe.report.printable import printable
from observe.report.render import render_pdf
from observe.services import collation
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_report import add_note, build_session, flat, pdf_pages, pdf_text

LONG_WORD = "Supercalifragilistic" * 15  # 300 letters, no space to break at
HOSTILE = [
    "</p></li></ul><h1>Injected heading</h1><p>",
    "<script>alert('x')</script> & <b>bold</b>",
    "{{ 7 * 7 }} {% if true %}jinja{% endif %}",
    "abc\u202eexe.live",
    "open\u2066isolate\u2069close and \u202bembedded\u202c end",
    "bell\x07 escape\x1b[31m red\x1b[0m nul\x00 end",
    LONG_WORD,
    "A warm close 🙂👍🏽 ⭐ and 🇬🇧",
]
NAME = "Ann <i>Lee</i> \u202eeci"


def _printed(text: str) -> str:
    return flat(printable(text))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("hostile") / "ws").ensure(seed=True)


@pytest.fixture(scope="module")
def feedback(workspace: Workspace) -> tuple[str, list[str]]:
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    repo = Repository(workspace, clock=FakeClock())
    meta = {"title": "Module <2> \u202eevil", "cohort": "<i>North</i> & B"}
    with build_session(repo, framework, meta, names=(NAME, "Tom Price")) as session:
        fid = session.session.meta.facilitators[0].id
        for i, text in enumerate(HOSTILE):
            kind = [NoteKind.STRENGTH, NoteKind.DEVELOPMENT, NoteKind.QUOTE][i % 3]
            add_note(session, text + " #R1", kind, ("R1",), (fid,), 70 + i)
        session.put_summary(fid, summary="\n".join(HOSTILE), strengths=HOSTILE[3])
        response = Response.new(
            session.session.id,
            fid,
            reflection=HOSTILE[0] + HOSTILE[3],
            actions=[Action(text=HOSTILE[1], owner=HOSTILE[3], by=date(2026, 5, 1))],
            acknowledged=True,
            disagreement=HOSTILE[5] + LONG_WORD,
        )
        session.put_response(fid, response)
        record = session.record.model_copy(deep=True)
    html = feedback_html(record, fid)
    return html, pdf_pages(render_pdf(html, STYLESHEET), furniture=False)


def test_hostile_text_prints_literally_in_the_feedback_pdf(
    feedback: tuple[str, list[str]],
) -> None:
    html, pages = feedback
    text = flat("\n".join(pages))
    for hostile in HOSTILE:
        assert _printed(hostile) in text, hostile[:30]
    assert flat("abc⟨U+202E⟩exe.live") in text and "evil.exe" not in text
    assert "⟨U+0007⟩" in text and "⟨U+001B⟩[31m" in text and "⟨U+0000⟩" in text
    assert flat("A warm close [slightly smiling face][thumbs up sign] [white medium star]") in text
    assert "[flagGB]" in text
    assert "7*7" in text and "49" not in text
    assert _printed(NAME) in text  # the facilitator's name, in the title and throughout
    assert flat("Module <2> ⟨U+202E⟩evil") in text and flat("<i>North</i> & B") in text
    # Nothing in the text became markup: one h1, the report's own; no script.
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "<script" not in html and "<i>" not in html
    assert "Injectedheading" in text  # as words, not as a heading


def test_hostile_text_leaves_the_report_whole(feedback: tuple[str, list[str]]) -> None:
    _, pages = feedback
    one = flat(pages[0])
    assert flat("Feedback for") in one and flat("The observer's summary") in one
    text = flat("\n".join(pages))
    for heading in ("The detail: practice against the framework", "About the session"):
        assert flat(heading) in text
    holding = [p for p in pages if flat("Your response") in flat(p)]
    assert len(holding) == 1 and "Acknowledgement" in holding[0]
    # The long word breaks rather than running off the page: every line is a page's width.
    assert max(len(line) for page in pages for line in page.splitlines()) < 160


def test_hostile_names_and_places_print_literally_in_the_collated_pdf(
    workspace: Workspace, feedback: tuple[str, list[str]]
) -> None:
    c = collation.gather_workspace(workspace, Filters(), ("region",), names=True)
    html = collated_html(c)
    assert "<i>" not in html and "<script" not in html
    text = flat(pdf_text(render_collated(c)))
    assert _printed(NAME) in text
    assert "\u202e" not in text and "⟨U+202E⟩" in text
