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
DOT = "a1.6 1.6 0 1 0 3.2 0a1.6 1.6 0 1 0 -3.2 0"  # a circle drawn from its left edge
RING = "a1.8 1.8 0 1 0 3.6 0a1.8 1.8 0 1 0 -3.6 0"


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


@dataclass(frozen=True)
class Panel:
    """One small chart of a small-multiples figure: a criterion's levels over time."""

    label: str  # above the panel, e.g. a criterion id
    values: tuple[float | None, ...]  # one per observation, oldest first; None: not rated
    unobserved: tuple[int, ...] = ()  # the observations where it was marked not observed


def small_multiples(
    panels: Sequence[Panel],
    *,
    levels: Sequence[tuple[float, str]],
    title: str,
    columns: int = 4,
    width: int = 640,
    label_width: int = 62,
    plot_height: int = 34,
) -> Markup:
    """A grid of small line charts sharing one time axis (x: the observations, oldest
    first) and one level axis (y: ``levels``, labelled at the start of each row).

    Rated levels are filled dots joined by a line; an observation where the criterion was
    marked not observed is an open circle on the floor of the panel (the caption says so),
    so nothing depends on colour. As ``bar_chart``, text is kept to the labels only and the
    shapes are a handful of paths.
    """
    if not panels or not levels:
        return Markup("")
    gap, head = 8, 11
    panel_w = (width - label_width - gap * (columns - 1)) / columns
    rows = (len(panels) + columns - 1) // columns
    row_h = head + plot_height + 8
    height = rows * row_h
    low, high = levels[0][0], levels[-1][0]
    span = (high - low) or 1
    count = max(len(p.values) for p in panels)
    step = (panel_w - 8) / max(1, count - 1)
    grid, lines, dots, rings, texts = [], [], [], [], []
    for i, panel in enumerate(panels):
        row, col = divmod(i, columns)
        x0 = label_width + col * (panel_w + gap)
        top = row * row_h + head
        texts.append(f'<text x="{num(x0)}" y="{num(top - 3)}">{escape(panel.label)}</text>')

        def y_of(value: float, top: float = top) -> float:
            return top + plot_height - (value - low) / span * plot_height

        for value, label in levels:
            grid.append(f"M{num(x0)} {num(y_of(value))}h{num(panel_w)}")
            if col == 0:
                texts.append(
                    f'<text x="{label_width - 4}" y="{num(y_of(value) + 2.5)}" text-anchor="end"'
                    f' fill="#555" font-size="6.5">{escape(label)}</text>'
                )
        path = []
        for j, value in enumerate(panel.values):
            x = x0 + 4 + j * step
            if value is None:
                if j in panel.unobserved:
                    rings.append(f"M{num(x - 1.8)} {num(top + plot_height)}{RING}")
                continue
            y = y_of(value)
            path.append(f"{'L' if path else 'M'}{num(x)} {num(y)}")
            dots.append(f"M{num(x - 1.6)} {num(y)}{DOT}")
        if len(path) > 1:
            lines.append("".join(path))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="8" fill="#222">',
        f"<title>{escape(title)}</title>",
        f'<path d="{"".join(grid)}" stroke="#c4c4c4" stroke-width="0.5" fill="none"/>',
    ]
    if lines:
        out.append(f'<path d="{"".join(lines)}" stroke="#3d4f63" stroke-width="1.1" fill="none"/>')
    if dots:
        out.append(f'<path d="{"".join(dots)}" fill="#1f2d3d"/>')
    if rings:
        out.append(f'<path d="{"".join(rings)}" fill="none" stroke="#555" stroke-width="0.6"/>')
    out += texts
    out.append("</svg>")
    return Markup("".join(out))
