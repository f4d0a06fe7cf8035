"""Completing !A1, the tie from a note to an action agreed last time: the labels offered, the
text inserted, unknown labels left as harmless text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observe.core.actions import FollowUp, evidence, tags
from observe.core.models import Framework, Note
from observe.core.notetext import Vocabulary, complete, parse, suggest
from tests.conftest import make_meta

HOSTILE = "[b]Ask[/b] a \u202equieter\x1b[31m voice " + "x" * 10_000


def up(label: str, text: str) -> FollowUp:
    return FollowUp(
        id=FollowUp.id_for("s1", label.lower()),
        action=label.lower(),
        facilitator="asha-rahman",
        label=label,
        text=text,
        by=date(2026, 3, 1),
        from_session="s0",
    )


@pytest.fixture
def vocab(framework: Framework) -> Vocabulary:
    ups = [up("A1", "Pause after questions"), up("A2", HOSTILE), up("A10", "Name the aim")]
    return Vocabulary.of(framework, make_meta("Asha Rahman"), ups)


def test_bang_offers_every_label_with_a_short_form_of_the_text(vocab: Vocabulary) -> None:
    found = complete("waited !", 8, vocab)
    assert found is not None and found.sigil == "!" and found.prefix == ""
    assert [c.insert for c in found.candidates] == ["A1", "A2", "A10"]
    assert found.candidates[0].label == "A1 Pause after questions"
    assert len(found.candidates[1].label) < 40 and found.candidates[1].label.endswith("…")
    assert [c.insert for c in complete("!A", 2, vocab).candidates] == ["A1", "A2", "A10"]
    assert [c.insert for c in complete("!A1", 3, vocab).candidates] == ["A1", "A10"]
    assert [c.insert for c in complete("!a2", 3, vocab).candidates] == ["A2"]
    assert [c.insert for c in complete("!2", 2, vocab).candidates] == ["A2"]
    assert complete("!B", 2, vocab).candidates == []


def test_accepting_inserts_the_label_and_a_space(vocab: Vocabulary) -> None:
    assert suggest("waited !", vocab) == "waited !A1 "
    assert suggest("waited !A", vocab) == "waited !A1 "
    assert suggest("waited !a2", vocab) == "waited !A2 "  # the label as the tie reads it
    assert suggest("waited !A1", vocab) is None  # already whole
    assert suggest("great!", vocab) is None  # punctuation after a word is no tie
    assert tags(suggest("waited !A", vocab) or "") == ["A1"]


def test_without_actions_a_bang_is_punctuation(framework: Framework) -> None:
    plain = Vocabulary.of(framework, make_meta("Asha Rahman"))
    assert complete("so !", 4, plain) is None and suggest("so !", plain) is None
    assert complete("#R", 2, plain) is not None  # the other tags still complete


def test_unknown_labels_are_harmless_text(vocab: Vocabulary) -> None:
    parsed = parse("tried it !A7 and !A1 #R1", vocab)
    assert parsed.text == "tried it !A7 and !A1 #R1"  # kept as typed
    assert parsed.unknown_actions == ["A7"]
    assert "no action !A7" in parsed.warning()
    assert parse("wow! !A2", vocab).unknown_actions == []
    note = Note(at=datetime(2026, 3, 2, tzinfo=UTC), text=parsed.text)
    assert [n.text for n in evidence(up("A1", "x"), [note])] == [parsed.text]
    assert evidence(up("A7", "x"), [note]) == [note]  # a label is only what the session has


@given(st.text(alphabet="!A1a #@x\u202e[]\n", max_size=40), st.integers(-5, 50))
def test_completion_never_raises(typed: str, cursor: int) -> None:
    vocab = Vocabulary(criteria=(("R1", "Rapport"),), facilitators=(), actions=(("A1", HOSTILE),))
    complete(typed, cursor, vocab)
    suggest(typed, vocab)
    parse(typed, vocab).warning()
