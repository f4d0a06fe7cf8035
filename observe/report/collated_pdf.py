"""The collated PDF for a programme board: HTML from collated.html, charts as inline SVG.

Charts carry their numbers in words so they read in greyscale; people appear as codes unless
the collation was made with names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from markupsafe import Markup, escape

from observe.core.collate import Row, WaveFigure
from observe.report.collated import ACTION_COLUMNS, Collation, fmt_mean
from observe.report.render import render_pdf, report_date
from observe.report.svg import FONT, num
from observe.report.templates import render_template

STYLESHEET = "collated.css"

# Greys from light to dark: a level's shade, with its count written inside when it fits.
SHADES = ["#e6e9ed", "#b9c2cc", "#8595a6", "#52647a", "#2b3a4d", "#18222e"]


def distribution_chart(rows: Sequence[Row], width: int = 480) -> Markup:
    """One stacked bar per criterion: the share of each level, counts written on the bar."""
    label_w, text_w, row_h = 46, 80, 16
    plot = width - label_w - text_w
    height = row_h * len(rows) + 22
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="8">',
        "<title>Distribution of levels per criterion</title>",
    ]
    keys = sorted({k for r in rows for k in r.levels}, key=lambda k: (len(k), k))
    for i, key in enumerate(keys):  # the legend
        x = label_w + i * 60
        shade = SHADES[min(i, len(SHADES) - 1)]
        out.append(
            f'<rect x="{x}" y="2" width="10" height="8" fill="{shade}" stroke="#333"'
            f' stroke-width="0.3"/><text x="{x + 13}" y="9" fill="#222">level {escape(key)}</text>'
        )
    for i, r in enumerate(rows):
        y = 16 + i * row_h
        out.append(f'<text x="0" y="{y + 11}" fill="#222">{escape(r.criterion)}</text>')
        x = float(label_w)
        for j, key in enumerate(keys):
            count = r.levels.get(key, 0)
            if not count or not r.n:
                continue
            w = plot * count / r.n
            shade = SHADES[min(j, len(SHADES) - 1)]
            ink = "#fff" if j >= 2 else "#111"
            out.append(
                f'<rect x="{num(x)}" y="{y + 2}" width="{num(w)}" height="{row_h - 4}"'
                f' fill="{shade}" stroke="#fff" stroke-width="0.5"/>'
            )
            if w > 12:
                out.append(
                    f'<text x="{num(x + w / 2)}" y="{y + 11}" text-anchor="middle"'
                    f' fill="{ink}">{count}</text>'
                )
            x += w
        text = f"mean {fmt_mean(r.mean)}, n {r.n}" if r.n else "no ratings"
        out.append(f'<text x="{label_w + plot + 4}" y="{y + 11}" fill="#222">{text}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def spread(wanted: Sequence[float], widths: Sequence[float], lo: float, hi: float) -> list[float]:
    """Centres for labels of ``widths`` as near ``wanted`` as they can be without overlapping.

    ``wanted`` must be in ascending order; the labels stay within ``lo``..``hi``.
    """
    gap = 1.5
    placed: list[float] = []
    for x, w in zip(wanted, widths, strict=True):
        least = lo + w / 2 if not placed else placed[-1] + (widths[len(placed) - 1] + w) / 2 + gap
        placed.append(max(x, least))
    if placed:  # centre the group on the points it labels, then keep it on the plot
        shift = sum(wanted) / len(wanted) - sum(placed) / len(placed)
        shift = min(shift, hi - widths[-1] / 2 - placed[-1])
        shift = max(shift, lo + widths[0] / 2 - placed[0])
        placed = [x + shift for x in placed]
    return placed


def change_chart(
    change: dict[tuple[str, str], list[WaveFigure]], low: float, high: float, width: int = 480
) -> Markup:
    """Per criterion, each wave's mean as a dot on the scale, its wave labelled above it.

    Labels that would overlap are moved apart and joined to their dot by a short line.
    """
    label_w, row_h, char_w = 46, 24, 4.4
    plot = width - label_w - 12
    height = row_h * len(change) + 18
    span = (high - low) or 1

    def at(v: float) -> float:
        return label_w + plot * (v - low) / span

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="8">',
        "<title>Mean level per criterion in each wave</title>",
    ]
    for tick in range(int(low), int(high) + 1):
        x = at(tick)
        out.append(
            f'<line x1="{num(x)}" y1="12" x2="{num(x)}" y2="{height}" stroke="#bbb"'
            f' stroke-width="0.5" stroke-dasharray="2 2"/>'
            f'<text x="{num(x)}" y="9" text-anchor="middle" fill="#555">{tick}</text>'
        )
    for i, ((_, crit), figures) in enumerate(change.items()):
        top = 14 + i * row_h
        y = top + 17  # the dots' line; labels sit in the band above it
        out.append(f'<text x="0" y="{y + 3}" fill="#222">{escape(crit)}</text>')
        points = sorted((at(f.mean), f.wave) for f in figures if f.mean is not None)
        if len(points) > 1:
            out.append(
                f'<line x1="{num(points[0][0])}" y1="{y}" x2="{num(points[-1][0])}" y2="{y}"'
                ' stroke="#777" stroke-width="1"/>'
            )
        widths = [char_w * len(wave[:3]) + 4 for _, wave in points]
        labels = spread([x for x, _ in points], widths, label_w, width - 2)
        for (x, wave), lx in zip(points, labels, strict=True):
            if abs(lx - x) > 0.5:
                out.append(
                    f'<line x1="{num(lx)}" y1="{top + 9}" x2="{num(x)}" y2="{y - 2.5}"'
                    ' stroke="#999" stroke-width="0.5"/>'
                )
            out.append(
                f'<circle cx="{num(x)}" cy="{y}" r="2.6" fill="#2b3a4d"/>'
                f'<text x="{num(lx)}" y="{top + 7.5}" text-anchor="middle" font-size="7"'
                f' fill="#111">{escape(wave[:3])}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))


def coverage_chart(c: Collation, width: int = 480) -> Markup:
    """Facilitators x waves: sessions observed, written in each cell; empty cells dashed."""
    cov = c.coverage
    label_w, cell_w, row_h = 150, 44, 14
    height = row_h * (len(cov.facilitators) + 1) + 6
    width = max(width, label_w + cell_w * len(cov.waves) + 10)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="8">',
        "<title>Sessions observed per facilitator and wave</title>",
    ]
    for j, wave in enumerate(cov.waves):
        x = label_w + j * cell_w + cell_w / 2
        out.append(f'<text x="{num(x)}" y="10" text-anchor="middle">wave {escape(wave)}</text>')
    for i, fac in enumerate(cov.facilitators):
        y = 14 + i * row_h
        out.append(f'<text x="0" y="{y + 10}" fill="#222">{escape(fac[:28])}</text>')
        for j, wave in enumerate(cov.waves):
            count = cov.per_wave.get(fac, {}).get(wave, 0)
            x = label_w + j * cell_w
            style = (
                'fill="#dfe4ea" stroke="#fff"'
                if count
                else 'fill="none" stroke="#999" stroke-dasharray="2 2"'
            )
            out.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{row_h - 2}"'
                f' {style} stroke-width="0.6"/><text x="{num(x + cell_w / 2)}" y="{y + 10}"'
                f' text-anchor="middle" fill="#111">{count if count else "none"}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))


def collated_html(c: Collation, today: date | None = None) -> str:
    groups: dict[str, list[Row]] = {}
    for r in c.rows:
        head = ", ".join(f"{k} {v}" for k, v in r.group.items()) or "All sessions counted"
        groups.setdefault(head, []).append(r)
    levels = sorted({int(k) for r in c.rows for k in r.levels if k.lstrip("-").isdecimal()})
    low, high = (levels[0], levels[-1]) if levels else (1, 4)
    return render_template(
        "collated.html",
        c=c,
        groups={h: (rows, distribution_chart(rows)) for h, rows in groups.items()},
        change=change_chart(c.change, low, high) if len(c.coverage.waves) > 1 else None,
        notes=replace(c, names_hint="names are shown only when asked for").notes(),
        coverage=coverage_chart(c) if c.coverage.facilitators else None,
        today=today or report_date(),
        fmt_mean=fmt_mean,
        action_columns=ACTION_COLUMNS,
    )


def render(c: Collation) -> bytes:
    return render_pdf(collated_html(c), STYLESHEET)
