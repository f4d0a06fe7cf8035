"""Properties of the home filter and column layout (plain functions, no screen)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from observe.app.screens.listing import FIELDS, columns_for, display, matches, parse_filter
from observe.core.summary import SessionSummary

# Plain words: a column's name ("wave") followed by a word is a different kind of query.
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8).filter(
    lambda w: w not in FIELDS
)
rows = st.builds(
    SessionSummary,
    file=st.just("x.json"),
    date=st.dates().map(lambda d: d.isoformat()),
    facilitators=st.lists(words, min_size=1, max_size=3).map(tuple),
    wave=words,
    partner=words,
    cohort=words,
    mode=st.sampled_from(["in_person", "online", "hybrid"]),
    status=st.sampled_from(["in_progress", "completed", "shared", "acknowledged"]),
    notes=st.integers(0, 500),
    region=words,
    observer=words,
    title=words,
)


@given(rows)
def test_every_row_matches_an_empty_filter(row: SessionSummary) -> None:
    assert matches(row, parse_filter("   "))


@given(rows, st.sampled_from(["facilitators", "wave", "partner", "region", "title", "status"]))
def test_a_word_from_a_visible_column_finds_its_row(row: SessionSummary, column: str) -> None:
    word = display(row)[column].split(",")[0].split()[0]
    assert matches(row, parse_filter(word.upper()))


@given(rows, st.lists(words, max_size=3), words)
def test_more_words_never_find_more(row: SessionSummary, some: list[str], extra: str) -> None:
    query = " ".join(some)
    if matches(row, parse_filter(f"{query} {extra}")):
        assert matches(row, parse_filter(query))


@given(rows)
def test_a_column_word_matches_that_column_only(row: SessionSummary) -> None:
    assert matches(row, parse_filter(f"wave {row.wave}"))
    assert matches(row, parse_filter(f"status {row.status.split('_')[0]}"))
    assert matches(row, parse_filter(f"cohort {row.cohort}"))


@given(st.integers(80, 400))
def test_columns_never_overflow(width: int) -> None:
    columns = columns_for(width)
    assert sum(c.width + 2 for c in columns) <= width - 1
    assert ("Region" in [c.label for c in columns]) == (width >= 120)
