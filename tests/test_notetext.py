"""Reading typed notes: markers, #criterion and @facilitator tags, completion."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observe.core.models import Framework, NoteKind
from observe.core.notetext import (
    TAG_PATTERN,
    Vocabulary,
    complete,
    compose,
    parse,
    split_marker,
    suggest,
    token_at,
    untagged,
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


# ---------------------------------------------------------------- text for a report


def _has_tag(text: str) -> bool:
    from observe.core.actions import TAG as ACTION_TAG

    tagged = any(m.group(2).rstrip(".'’-_") for m in TAG_PATTERN.finditer(text))
    return tagged or ACTION_TAG.search(text) is not None


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("warm tone #R1 @Am", "warm tone"),
        ("warm tone #R1.", "warm tone."),
        ("warm tone, #R1 @am.", "warm tone."),
        ("#R1, #R2 warm opening", "warm opening"),
        ("good pacing from @Am as two people joined late #R1", "good pacing from Amara as two"),
        ("names #r2 and #S1, then again", "names R2 and S1, then again"),
        ("C# and jo@example.org", "C# and jo@example.org"),
        ("#R1#R2 hi", "hi"),
        ("first line #R1\n#R2 second line", "first line\nsecond line"),
        ("a lone # and @ stay", "a lone # and @ stay"),
        ("#R1 @am", ""),
        ("roles were clear at the start !A1", "roles were clear at the start"),
        ("tried !A2 today, #R1 too", "tried A2 today, R1 too"),
        ("Great!A1 and wow !Amazing stay", "Great!A1 and wow !Amazing stay"),
    ],
)
def test_untagged_reads_as_typed_without_tag_syntax(typed: str, shown: str) -> None:
    names = {"am": "Amara"}
    out = untagged(typed, lambda sigil, token: names.get(token.lower()) or token.upper())
    assert out.startswith(shown)
    assert not _has_tag(out)


_words = st.text(alphabet="abcdefghij", min_size=1, max_size=6)
_tags = st.builds(lambda s, t: s + t, st.sampled_from("#@"), st.text("RLD123am", min_size=1))


@given(st.lists(st.tuples(st.booleans(), _words, _tags), max_size=12))
def test_untagged_drops_edge_tags_and_keeps_every_word_in_order(
    items: list[tuple[bool, str, str]],
) -> None:
    parts = [(tag, is_tag) for is_tag, word, tag in items for tag in [tag if is_tag else word]]
    typed = " ".join(p for p, _ in parts)
    flags = [is_tag for _, is_tag in parts]
    first = next((i for i, f in enumerate(flags) if not f), len(flags))
    last = max((i for i, f in enumerate(flags) if not f), default=-1)
    expected = [p.lstrip("#@") if f else p for i, (p, f) in enumerate(parts) if first <= i <= last]
    assert untagged(typed) == " ".join(expected)


@given(st.text(alphabet=st.sampled_from(list("ab #@!AR1.,'-\n\t_")), max_size=40))
def test_untagged_leaves_no_tag_and_is_stable(text: str) -> None:
    out = untagged(text)
    assert not _has_tag(out)
    assert untagged(out) == out
    if not _has_tag(text):
        assert out == text


@given(st.text(max_size=60))
def test_untagged_never_raises_and_never_adds_text(text: str) -> None:
    out = untagged(text, lambda sigil, token: None)
    assert len(out) <= len(text)
    assert not _has_tag(out)
