"""Small inline SVG charts for reports.

Readable in greyscale print: every bar carries its value in words, and "not observed" is a
dashed outline with its own label, so nothing depends on colour. Text is escaped: labels come
from framework files and session data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str  # left of the bar, e.g. a criterion id
    value: float | None  # None: not observed (no bar)
    text: str = ""  # right of the bar, e.g. "3 Established"


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
    text_width: int = 130,
    row_height: int = 18,
    missing_text: str = "not observed",
) -> Markup:
    """Horizontal bars, one row each, scaled to ``maximum``; ``ticks`` are (value, label)."""
    top = 16 if ticks else 4
    plot = max(40, width - label_width - text_width)
    height = top + row_height * len(bars) + 4
    scale = plot / maximum if maximum else 0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="9">',
        f"<title>{escape(title)}</title>",
    ]
    for value, label in ticks:
        x = label_width + value * scale
        out.append(
            f'<line x1="{num(x)}" y1="{top - 3}" x2="{num(x)}" y2="{height - 2}"'
            ' stroke="#b0b0b0" stroke-width="0.6" stroke-dasharray="2 2"/>'
            f'<text x="{num(x)}" y="{top - 6}" text-anchor="middle" fill="#555">'
            f"{escape(label)}</text>"
        )
    for i, bar in enumerate(bars):
        y = top + i * row_height
        mid = y + row_height / 2 + 3
        out.append(f'<text x="0" y="{num(mid)}" fill="#222">{escape(bar.label)}</text>')
        if bar.value is None:
            out.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{num(plot)}"'
                f' height="{row_height - 8}" fill="none" stroke="#888"'
                ' stroke-width="0.6" stroke-dasharray="3 2"/>'
                f'<text x="{label_width + 4}" y="{num(mid)}" fill="#444" font-style="italic">'
                f"{escape(bar.text or missing_text)}</text>"
            )
            continue
        length = max(0.0, min(bar.value, maximum)) * scale
        out.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{num(length)}"'
            f' height="{row_height - 6}" fill="#3d4f63" rx="1"/>'
            f'<text x="{num(label_width + length + 4)}" y="{num(mid)}" fill="#222">'
            f"{escape(bar.text or num(bar.value))}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))
