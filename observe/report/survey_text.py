"""A survey report as terminal text and as JSON, with diverging bars drawn in characters.

A diverging bar puts disagreement left of a centre line and agreement right of it; the
neutral middle level is split across the line, half each side. Each side is ``HALF``
characters for 100%. Each level has its own character (``bar_chars``), so the bar reads
without colour and a test can count it. User text (statements, comments) is escaped by the
printer (``cli.common.say``) and inside table cells; JSON escapes control characters.
"""

from __future__ import annotations

from typing import Any

from observe.core.survey_tally import Figures, SurveyTally
from observe.core.untrusted import escape_controls

HALF = 20
CENTRE = "|"
NEUTRAL = "."
_DISAGREE = ["-", "=", "<"]  # inner to outer
_AGREE = ["+", "#", ">"]
COMMENT_WARNING = (
    "Comments are shown to leads only, in a random order. They are in members' own words"
    " and may identify who wrote them: do not quote them outside the leads."
)


def bar_chars(levels: int) -> list[str]:
    """The character of each level, lowest first."""
    half = levels // 2
    middle = [NEUTRAL] if levels % 2 else []
    return list(reversed(_DISAGREE[:half])) + middle + _AGREE[:half]


def _lengths(shares: list[float], total: int) -> list[int]:
    """Whole characters for ``shares`` of ``total``, largest remainders first."""
    raw = [s * total for s in shares]
    out = [int(r) for r in raw]
    room = round(sum(raw)) - sum(out)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[:room]:
        out[i] += 1
    return out


def bar(figures: Figures, neutral: int | None, half: int = HALF) -> str:
    """``2 * half + 1`` characters: disagreement grows left of the centre, agreement right;
    the whole bar is ``half`` characters long, as every answer is 100%."""
    counts, n = list(figures.counts), figures.n
    chars = bar_chars(len(counts))
    if not n:
        return " " * half + CENTRE + " " * half
    middle = len(counts) // 2
    left = list(range(middle))  # lowest levels, outermost first
    right = list(range(len(counts) - middle, len(counts)))
    split = counts[neutral] / 2 / n if neutral is not None else 0.0
    left_shares = [counts[i] / n for i in left] + ([split] if neutral is not None else [])
    right_shares = ([split] if neutral is not None else []) + [counts[i] / n for i in right]
    left_chars = [chars[i] for i in left] + ([NEUTRAL] if neutral is not None else [])
    right_chars = ([NEUTRAL] if neutral is not None else []) + [chars[i] for i in right]
    lengths = _lengths(left_shares + right_shares, half)
    lengths_left, lengths_right = lengths[: len(left_shares)], lengths[len(left_shares) :]
    text_left = "".join(c * k for c, k in zip(left_chars, lengths_left, strict=True))
    text_right = "".join(c * k for c, k in zip(right_chars, lengths_right, strict=True))
    return text_left[-half:].rjust(half) + CENTRE + text_right[:half].ljust(half)


def legend(tally: SurveyTally) -> str:
    chars = bar_chars(len(tally.labels))
    return "  ".join(f"{c} {label}" for c, label in zip(chars, tally.labels, strict=True))


def table(tally: SurveyTally, *, refused: int = 0) -> str:
    e = escape_controls
    out = [
        f"{e(tally.title)} ({e(tally.survey_id)} {e(tally.survey_version)})",
        f"Round {tally.round_id}: {tally.opens.isoformat()} to {tally.closes.isoformat()},"
        f" threshold {tally.threshold}",
        f"Response: {tally.response_text}",
    ]
    out += tally.notes
    if refused:
        out.append(f"{refused} answer file(s) did not open or validate and are not counted.")
    if tally.shown:
        out += ["", f"Bars: {e(legend(tally))}; left of '|' disagree, right agree."]
    for principle in tally.principles:
        out += ["", f"{e(principle.id)}  {e(principle.title)}"]
        if principle.summary is not None:
            out.append(
                f"  {'all':<5} {bar(principle.summary, tally.neutral)}"
                f"  {principle.agree_pct:>3}% agree  n={principle.summary.n}"
            )
        else:
            out.append(f"  {'all':<5} (suppressed)")
        for row in principle.statements:
            if row.figures is None:
                figures = "(suppressed)"
            else:
                figures = (
                    f"{bar(row.figures, tally.neutral)}  {row.agree_pct:>3}% agree"
                    f"  n={row.figures.n}"
                )
            out.append(f"  {e(row.id):<5} {figures}")
            out.append(f"        {e(row.text)}")
    if tally.has_comments:
        out += ["", "Comments", COMMENT_WARNING]
        for principle in tally.principles:
            for text in principle.comments:
                out.append(f"  [{e(principle.id)}] {e(text)}")
    return "\n".join(out)


def _figures(figures: Figures | None, labels: tuple[str, ...], agree: int | None) -> Any:
    if figures is None:
        return None
    return {
        "n": figures.n,
        "counts": dict(zip(labels, figures.counts, strict=True)),
        "agree_pct": agree,
    }


def as_json(tally: SurveyTally, *, refused: int = 0) -> dict[str, Any]:
    """The report as data; a suppressed figure is ``null``, never a number."""
    return {
        "round": tally.round_id,
        "survey": {"id": tally.survey_id, "version": tally.survey_version, "title": tally.title},
        "opens": tally.opens.isoformat(),
        "closes": tally.closes.isoformat(),
        "threshold": tally.threshold,
        "members": tally.members,
        "answers": tally.answers if tally.answers >= tally.threshold else None,
        "response": tally.response_text,
        "shown": tally.shown,
        "notes": tally.notes,
        "refused": refused,
        "scale": list(tally.labels),
        "principles": [
            {
                "id": p.id,
                "title": p.title,
                "summary": _figures(p.summary, tally.labels, p.agree_pct),
                "statements": [
                    {
                        "id": s.id,
                        "text": s.text,
                        **(_figures(s.figures, tally.labels, s.agree_pct) or {"suppressed": True}),
                    }
                    for s in p.statements
                ],
                "comments": p.comments,
            }
            for p in tally.principles
        ],
        "comment_warning": COMMENT_WARNING if tally.has_comments else None,
    }
