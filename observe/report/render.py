"""The one WeasyPrint entry point: HTML and a stylesheet in, PDF bytes out.

WeasyPrint is imported inside the functions: it takes about a second to import, and the
app and the quick CLI commands must not pay for it.

Notes are untrusted text. Templates escape them, and as a second wall the fetcher below
refuses every URL that is not ``data:``, without opening it, so no file or network
resource can ever reach a PDF.

Bytes are deterministic under ``SOURCE_DATE_EPOCH``: WeasyPrint 70 does not read it, so the
creation and modification dates are set from it here, and the PDF's /ID is derived from the
HTML and the stylesheet's name rather than left to chance.

Every PDF's text goes through ``printable`` first: bidi controls cannot reorder what the
reader sees, and emoji the font lacks print as their names rather than as empty boxes.

Stylesheets are parsed once per thread and process and handed to WeasyPrint already parsed,
with one font configuration: parsing them and setting up fonts again for every PDF was a
third of a short report's render time.
"""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import UTC, date, datetime
from typing import Any

from observe.core.gcpause import gc_paused
from observe.report.compat import mend_tinyhtml5_pattern_cache, weasyprint_quiet
from observe.report.printable import printable
from observe.report.templates import TEMPLATES

__all__ = ["RenderError", "render_pdf"]

PDF_VARIANT = "pdf/ua-1"


class RenderError(Exception):
    """WeasyPrint could not make a PDF from the HTML (a bug in a template, or a resource)."""


def source_datetime() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when it is not set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    digits = epoch.isascii() and epoch.isdecimal()  # "²" is a digit to isdigit, not to int
    return datetime.fromtimestamp(int(epoch), UTC) if digits else None


def report_date() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH when set, so that builds are reproducible."""
    moment = source_datetime()
    return moment.date() if moment else date.today()


def _document_date() -> str:
    """The W3C date written into the PDF: SOURCE_DATE_EPOCH if set, else now (UTC)."""
    return (source_datetime() or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _data_only_fetcher(requested: list[str] | None) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses the rest unopened."""
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if requested is not None:
                requested.append(url)
            if not url.lower().startswith("data:"):
                raise ValueError(f"refused to fetch {url[:60]!r}: only data: URLs are allowed")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols={"data"}, allow_redirects=False)


class _Prepared(threading.local):
    """Per thread: the font configuration and parsed stylesheets, for one process.

    Pango's font map is not shared between threads, and a forked worker starts afresh.
    """

    pid: int = -1
    fonts: Any = None
    sheets: dict[str, Any]


_prepared = _Prepared()


def _resources(stylesheet: str) -> tuple[Any, Any]:
    """The font configuration and the parsed stylesheet ``stylesheet`` (from templates/)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if _prepared.pid != os.getpid():
        mend_tinyhtml5_pattern_cache()
        _prepared.pid = os.getpid()
        _prepared.fonts = FontConfiguration()
        _prepared.sheets = {}
    sheet = _prepared.sheets.get(stylesheet)
    if sheet is None:
        text = (TEMPLATES / stylesheet).read_text(encoding="utf-8")
        sheet = _prepared.sheets[stylesheet] = CSS(string=text, font_config=_prepared.fonts)
    return _prepared.fonts, sheet


def render_pdf(html: str, stylesheet: str, *, requested: list[str] | None = None) -> bytes:
    """Render ``html`` (which must carry ``<html lang=...>`` and a ``<title>``) styled by
    ``stylesheet`` (a file in report/templates/) to PDF/UA-1.

    ``requested``, when given, collects every URL WeasyPrint asked the fetcher for, so a
    test can prove that nothing but ``data:`` was ever requested.
    """
    from weasyprint import HTML

    html = printable(html)  # bidi controls shown, emoji named: what was typed, in order
    # Refused resources are logged as errors by WeasyPrint; they are expected (untrusted
    # notes may hold <img src=...>) and must not write to a terminal running the app.
    try:
        # Layout makes many small, acyclic objects: no collection pauses while it runs.
        with weasyprint_quiet(), gc_paused():
            fonts, sheet = _resources(stylesheet)
            document = HTML(
                string=html, base_url=None, url_fetcher=_data_only_fetcher(requested)
            ).render(stylesheets=[sheet], font_config=fonts, pdf_variant=PDF_VARIANT)
            date = _document_date()
            document.metadata.created = date
            document.metadata.modified = date
            digest = hashlib.sha256(f"{stylesheet}\n{html}".encode())
            identifier = digest.hexdigest()[:32].encode("ascii")
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
    except Exception as exc:
        raise RenderError(f"could not render the PDF: {exc}") from exc
    assert isinstance(pdf, bytes)
    return pdf
