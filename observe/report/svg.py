"""Small inline SVG charts for reports.

Readable in greyscale print: values are read off labelled grid lines, and "not observed" is
a dashed outline (the caption says so), so nothing depends on colour. Text is escaped:
labels come from framework files and session data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str  # left of the bar, e.g. a criterion id
    value: float | None  # None: not observed (a dashed outline instead of a bar)


def num(value: float) -> str:
    """3.0 -> '3', 2.75 -> '2.8': a chart's label."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    bars: Sequence[Bar],
    *,
    maximum: float,
    title: str,
    ticks: Sequence[tuple[float, str]] = (),
    width: int = 460,
    label_width: int = 44,
    row_height: int = 18,
) -> Markup:
    """Horizontal bars, one row each, scaled to ``maximum``; ``ticks`` are (value, label).

    WeasyPrint lays out SVG text a letter at a time, which made a chart of 27 criteria a
    sixth of a report's render time. So the text is only the row labels and the tick labels
    (a bar's value is read off the labelled grid line it ends on), and all bars are one path,
    all outlines another and the grid a third.
    """
    top = 16 if ticks else 4
    plot = max(40, width - label_width - 12)
    height = top + row_height * len(bars) + 4
    scale = plot / maximum if maximum else 0
    grid = "".join(f"M{num(label_width + v * scale)} {top - 3}V{height - 2}" for v, _ in ticks)
    filled, outlined, labels = [], [], []
    for i, bar in enumerate(bars):
        y = top + i * row_height
        labels.append(f'<text x="0" y="{num(y + row_height / 2 + 3)}">{escape(bar.label)}</text>')
        if bar.value is None:
            outlined.append(f"M{label_width} {y + 4}h{num(plot)}v{row_height - 8}h-{num(plot)}z")
            continue
        length = num(max(0.0, min(bar.value, maximum)) * scale)
        if length != "0":
            filled.append(f"M{label_width} {y + 3}h{length}v{row_height - 6}h-{length}z")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="9" fill="#222">',
        f"<title>{escape(title)}</title>",
    ]
    if grid:
        out.append(f'<path d="{grid}" stroke="#b0b0b0" stroke-width="0.6" stroke-dasharray="2 2"/>')
    if filled:
        out.append(f'<path d="{"".join(filled)}" fill="#3d4f63"/>')
    if outlined:
        out.append(
            f'<path d="{"".join(outlined)}" fill="none" stroke="#777" stroke-width="0.7"'
            ' stroke-dasharray="3 2"/>'
        )
    out += (
        f'<text x="{num(label_width + v * scale)}" y="{top - 6}" text-anchor="middle"'
        f' fill="#555">{escape(label)}</text>'
        for v, label in ticks
    )
    out += labels
    out.append("</svg>")
    return Markup("".join(out))
