"""A survey round's report as an xlsx workbook for the leads (openpyxl).

Every string goes through ``spreadsheet_cell`` (a comment starting "=" stays text, never a
formula); numbers stay numbers. A suppressed figure is the word "suppressed", never a number
or an empty cell that a sum would read as zero.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from observe.core.survey_tally import Figures, SurveyTally
from observe.core.untrusted import spreadsheet_cell
from observe.report.render import source_datetime
from observe.report.survey_text import COMMENT_WARNING

SUPPRESSED = "suppressed"


def _row(values: list[Any]) -> list[Any]:
    return [spreadsheet_cell(v) for v in values]


def _figures(figures: Figures | None, agree: int | None, levels: int) -> list[Any]:
    if figures is None:
        return [SUPPRESSED] * (levels + 2)
    return [*figures.counts, figures.n, agree]


def workbook(tally: SurveyTally) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = "Summary"
    rows = [
        ["Survey", tally.title],
        ["Survey id", f"{tally.survey_id} {tally.survey_version}"],
        ["Round", tally.round_id],
        ["Open", f"{tally.opens.isoformat()} to {tally.closes.isoformat()}"],
        ["Threshold", tally.threshold],
        ["Members", tally.members],
        ["Answers", tally.answers if tally.answers >= tally.threshold else tally.answers_text],
        ["Response", tally.response_text],
        *(["Note", note] for note in tally.notes),
    ]
    for row in rows:
        about.append(_row(row))
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 90

    sheet = book.create_sheet("Statements")
    levels = len(tally.labels)
    sheet.append(_row(["Principle", "Statement", "Text", *tally.labels, "n", "% agree"]))
    for principle in tally.principles:
        sheet.append(
            _row(
                [
                    principle.id,
                    "all",
                    principle.title,
                    *_figures(principle.summary, principle.agree_pct, levels),
                ]
            )
        )
        for statement in principle.statements:
            sheet.append(
                _row(
                    [
                        principle.id,
                        statement.id,
                        statement.text,
                        *_figures(statement.figures, statement.agree_pct, levels),
                    ]
                )
            )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["C"].width = 70
    sheet.freeze_panes = "A2"

    if tally.has_comments:
        notes = book.create_sheet("Comments")
        notes.append(_row([COMMENT_WARNING]))
        notes.append(_row(["Principle", "Comment (random order)"]))
        for principle in tally.principles:
            for text in principle.comments:
                notes.append(_row([principle.id, text]))
        notes.column_dimensions["B"].width = 100

    moment = (source_datetime() or datetime.now(UTC)).replace(tzinfo=None)
    book.properties.creator = "observe"
    book.properties.created = book.properties.modified = moment
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
