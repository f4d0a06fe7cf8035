"""The agreement PDF: per criterion, alpha with its interval as a chart and a table, the
criteria with the lowest agreement first; kappa per pair of observers.

Styled by collated.css (with its own footer); observers appear as codes unless the report
was made with names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from markupsafe import Markup, escape

from observe.core.agreement import Figures
from observe.report.agreement import EXPLAINED, AgreementReport, fmt_estimate, pct
from observe.report.render import render_pdf, report_date
from observe.report.svg import FONT, num
from observe.report.templates import render_template

STYLESHEET = "collated.css"
LOW, HIGH = -0.5, 1.0  # the chart's scale: alpha below -0.5 is drawn at its edge


def alpha_chart(rows: Sequence[Figures], width: int = 480) -> Markup:
    """One row per criterion: ordinal alpha as a dot, its 95% interval as a line, the value
    written at the right; a criterion with too few units says so in words."""
    label_w, text_w, row_h = 46, 120, 15
    plot = width - label_w - text_w
    height = row_h * len(rows) + 20

    def at(v: float) -> float:
        return label_w + plot * (min(max(v, LOW), HIGH) - LOW) / (HIGH - LOW)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="8">',
        "<title>Krippendorff's alpha (ordinal) per criterion, with 95% intervals</title>",
    ]
    for tick in (-0.5, 0.0, 0.667, 0.8, 1.0):
        x = at(tick)
        dash = "" if tick in (0.0, 0.8) else ' stroke-dasharray="2 2"'
        out.append(
            f'<line x1="{num(x)}" y1="12" x2="{num(x)}" y2="{height}" stroke="#aaa"'
            f' stroke-width="0.5"{dash}/><text x="{num(x)}" y="9" text-anchor="middle"'
            f' fill="#555">{tick:g}</text>'
        )
    for i, f in enumerate(rows):
        y = 20 + i * row_h
        out.append(f'<text x="0" y="{y + 3}" fill="#222">{escape(f.criterion or "all")}</text>')
        a = f.alpha_ordinal
        if a.interval is not None:
            out.append(
                f'<line x1="{num(at(a.interval.low))}" y1="{y}" x2="{num(at(a.interval.high))}"'
                f' y2="{y}" stroke="#52647a" stroke-width="1.6"/>'
            )
        if a.value is not None:
            out.append(f'<circle cx="{num(at(a.value))}" cy="{y}" r="2.8" fill="#18222e"/>')
        words = fmt_estimate(a) if a.value is not None else (a.note or "–")
        out.append(f'<text x="{label_w + plot + 6}" y="{y + 3}" fill="#222">{escape(words)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def agreement_html(r: AgreementReport, today: date | None = None) -> str:
    rows = [*r.found.criteria, r.found.overall]
    return render_template(
        "agreement.html",
        r=r,
        f=r.found,
        chart=alpha_chart(rows) if r.found.overall.units else None,
        notes=replace(r, names_hint="names are shown only when asked for").notes(),
        explained=EXPLAINED,
        today=today or report_date(),
        pct=pct,
        est=fmt_estimate,
    )


def render(r: AgreementReport) -> bytes:
    return render_pdf(agreement_html(r), STYLESHEET)
