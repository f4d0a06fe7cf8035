"""Reading typed notes: markers, #criterion and @facilitator tags, completion."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observe.core.models import Framework, NoteKind
from observe.core.notetext import (
    Vocabulary,
    complete,
    compose,
    parse,
    split_marker,
    suggest,
    token_at,
)
from tests.conftest import make_meta


@pytest.fixture
def vocab(framework: Framework) -> Vocabulary:
    return Vocabulary.of(framework, make_meta("Asha Rahman", "Tom Price", "Tomasz Nowak"))


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("+ warm welcome by name", NoteKind.STRENGTH, "warm welcome by name"),
        ("+warm", NoteKind.STRENGTH, "warm"),
        ("- rushed the debrief", NoteKind.DEVELOPMENT, "rushed the debrief"),
        ("? why skip the check-in", NoteKind.QUESTION, "why skip the check-in"),
        ('"I feel safe here"', NoteKind.QUOTE, "I feel safe here"),
        ("  + leading spaces", NoteKind.STRENGTH, "leading spaces"),
        ("groups of four", NoteKind.OBSERVATION, "groups of four"),
        ("a - b + c", NoteKind.OBSERVATION, "a - b + c"),
        ("", NoteKind.OBSERVATION, ""),
        ("+", NoteKind.STRENGTH, ""),
    ],
)
def test_markers(vocab: Vocabulary, typed: str, kind: NoteKind, text: str) -> None:
    note = parse(typed, vocab)
    assert (note.kind, note.text) == (kind, text)


def test_criterion_tags_case_insensitive_and_kept_in_text(vocab: Vocabulary) -> None:
    note = parse("+ names the feeling #r2 and #S1, then #R2 again", vocab)
    assert note.criteria == ["R2", "S1"]
    assert note.text == "names the feeling #r2 and #S1, then #R2 again"
    assert note.unknown_criteria == []


def test_unknown_criterion_reported(vocab: Vocabulary) -> None:
    note = parse("check #R9 and #R1", vocab)
    assert note.criteria == ["R1"]
    assert note.unknown_criteria == ["R9"]
    assert "#R9" in note.warning()


def test_online_criteria_only_for_online_sessions(framework: Framework) -> None:
    in_person = Vocabulary.of(framework, make_meta("Asha Rahman"))
    online = Vocabulary.of(framework, make_meta("Asha Rahman", mode="online"))
    assert parse("#O1 breakouts", in_person).unknown_criteria == ["O1"]
    assert parse("#O1 breakouts", online).criteria == ["O1"]


def test_facilitator_tags(vocab: Vocabulary) -> None:
    note = parse("@asha hands over to @Tom-Price; @tomasz nods @nobody", vocab)
    assert note.facilitators == ["asha-rahman", "tom-price", "tomasz-nowak"]
    assert note.unknown_facilitators == ["nobody"]


def test_ambiguous_prefix_is_unknown(vocab: Vocabulary) -> None:
    # "tom" is Tom's first name exactly, so it resolves; "to" could be either.
    assert parse("@tom", vocab).facilitators == ["tom-price"]
    assert parse("@to", vocab).unknown_facilitators == ["to"]


def test_trailing_punctuation_and_emails(vocab: Vocabulary) -> None:
    note = parse("ask @asha. see #R1. mail jo@example.org about C#", vocab)
    assert note.facilitators == ["asha-rahman"]
    assert note.criteria == ["R1"]
    assert note.unknown_facilitators == [] and note.unknown_criteria == []


def test_compose_round_trips(vocab: Vocabulary) -> None:
    for kind in NoteKind:
        typed = compose(kind, "text #R1")
        assert split_marker(typed) == (kind, "text #R1")


def test_token_at_cursor() -> None:
    assert token_at("see #R", 6) == ("#", 5, "R")
    assert token_at("see #R1 now", 7) == ("#", 5, "R1")
    assert token_at("see #R1 now", 11) is None
    assert token_at("hi @", 4) == ("@", 4, "")


def test_completion_candidates(vocab: Vocabulary) -> None:
    found = complete("+ lovely #r", 11, vocab)
    assert found is not None
    ids = [c.insert for c in found.candidates]
    assert ids[:3] == ["R1", "R2", "R3"]
    # A word of the title finds the criterion too.
    by_title = complete("#contain", 8, vocab)
    assert by_title is not None and by_title.candidates[0].insert == "R2"
    people = complete("@tom", 4, vocab)
    assert people is not None
    assert [c.label for c in people.candidates] == ["Tom Price", "Tomasz Nowak"]
    assert [c.insert for c in people.candidates] == ["tom", "tomasz"]


def test_inline_suggestion(vocab: Vocabulary) -> None:
    assert suggest("well held #r2", vocab) is None  # already complete
    assert suggest("@as", vocab) == "@asha "
    assert suggest("#S", vocab) == "#S1 "
    assert suggest("plain text", vocab) is None


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text())
def test_parse_never_raises(vocab: Vocabulary, typed: str) -> None:
    # The vocabulary is read-only, so sharing it across examples is safe.
    note = parse(typed, vocab)
    assert set(note.criteria) <= {cid for cid, _ in vocab.criteria}
    assert set(note.facilitators) <= {p.id for p in vocab.facilitators}
    assert note.text == note.text.rstrip()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet='#@ aR1sht-+?".'), st.integers(min_value=-2, max_value=40))
def test_completion_never_raises(vocab: Vocabulary, typed: str, cursor: int) -> None:
    found = complete(typed, cursor, vocab)
    if found is not None:
        assert found.sigil in "#@"
    suggestion = suggest(typed, vocab)
    assert suggestion is None or suggestion.startswith(typed)


def test_a_quote_loses_its_closing_mark_but_keeps_inner_ones(vocab: Vocabulary) -> None:
    note = parse('"I want to hear what felt hard this week" #R1', vocab)
    assert note.kind is NoteKind.QUOTE
    assert note.text == "I want to hear what felt hard this week #R1"
    assert note.criteria == ["R1"]
    assert parse('"She said "no" to that"', vocab).text == 'She said "no" to that'
    assert parse('"She said "no" and left', vocab).text == 'She said "no" and left'
    assert parse('"unclosed quote', vocab).text == "unclosed quote"
