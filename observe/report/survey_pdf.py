"""A survey round's report as a PDF for the leads: diverging bars as inline SVG.

Each bar is centred on a line: disagreement to its left, agreement to its right, the
neutral middle level split across it. Beside each bar its numbers are written out ("12%
disagree", "63% agree", and the count of every level), so it reads in greyscale, to a screen
reader, and to a test reading the PDF's text. Suppressed figures are never drawn.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from observe.core.survey_tally import Figures, SurveyTally
from observe.report.render import render_pdf, report_date
from observe.report.survey_text import COMMENT_WARNING
from observe.report.svg import FONT, num
from observe.report.templates import render_template

STYLESHEET = "survey.css"
# Disagreement warm, agreement cool, neutral grey; shades darken away from the centre.
_DISAGREE = ["#f0b89a", "#d9734a", "#a8432a"]  # inner to outer
_AGREE = ["#9fc3e0", "#4f8fc2", "#24598a"]
_NEUTRAL = "#cfcfcf"


def colours(levels: int) -> list[str]:
    half = levels // 2
    middle = [_NEUTRAL] if levels % 2 else []
    return list(reversed(_DISAGREE[:half])) + middle + _AGREE[:half]


def diverging_bar(
    figures: Figures, neutral: int | None, title: str, *, width: int = 330, height: int = 14
) -> Markup:
    """One row: the centre line, each level's share as a rectangle, the shares in words."""
    text_w = 60
    half = (width - 2 * text_w) / 2
    centre = text_w + half
    counts, n = figures.counts, figures.n
    shade = colours(len(counts))
    middle = len(counts) // 2
    split = counts[neutral] / 2 if neutral is not None else 0
    disagree = sum(counts[:middle])
    rects: list[str] = []

    def rect(x: float, w: float, fill: str) -> None:
        if w > 0:
            rects.append(
                f'<rect x="{num(x)}" y="2" width="{num(w)}" height="{height - 4}" fill="{fill}"/>'
            )

    x = centre - (disagree + split) / n * half
    for i in range(middle):  # outer disagreement first, from the left end of the bar
        w = counts[i] / n * half
        rect(x, w, shade[i])
        x += w
    if neutral is not None:
        rect(x, 2 * split / n * half, shade[neutral])
    x = centre + split / n * half
    for i in range(len(counts) - middle, len(counts)):
        w = counts[i] / n * half
        rect(x, w, shade[i])
        x += w
    low = figures.percent(range(middle))
    high = figures.percent(range(len(counts) - middle, len(counts)))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="7.5" fill="#222">',
        f"<title>{escape(title)}</title>",
        *rects,
        f'<path d="M{num(centre)} 0V{height}" stroke="#222" stroke-width="0.8"/>',
        f'<text x="{text_w - 3}" y="{height - 4}" text-anchor="end">{low}% disagree</text>',
        f'<text x="{width - text_w + 3}" y="{height - 4}">{high}% agree</text>',
        "</svg>",
    ]
    return Markup("".join(out))


def legend(tally: SurveyTally) -> Markup:
    out = []
    for colour, label in zip(colours(len(tally.labels)), tally.labels, strict=True):
        out.append(
            f'<span class="key"><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"'
            f' aria-hidden="true"><rect width="9" height="9" fill="{colour}"/></svg>'
            f" {escape(label)}</span>"
        )
    return Markup(" ".join(out))


def counts_text(figures: Figures, labels: tuple[str, ...]) -> str:
    pairs = zip(labels, figures.counts, strict=True)
    return ", ".join(f"{label} {count}" for label, count in pairs)


def html(tally: SurveyTally) -> str:
    def bar(figures: Figures, title: str) -> Markup:
        return diverging_bar(figures, tally.neutral, title)

    return render_template(
        "survey.html",
        t=tally,
        today=report_date(),
        bar=bar,
        legend=legend(tally),
        counts_text=lambda f: counts_text(f, tally.labels),
        warning=COMMENT_WARNING,
    )


def render(tally: SurveyTally) -> bytes:
    return render_pdf(html(tally), STYLESHEET)
