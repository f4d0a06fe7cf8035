"""The one WeasyPrint entry point: HTML in, PDF bytes out.

WeasyPrint is imported inside the function: it takes about a second to import, and the
app and the quick CLI commands must not pay for it.

Notes are untrusted text. Templates escape them, and as a second wall the fetcher below
refuses every URL that is not ``data:``, without opening it, so no file or network
resource can ever reach a PDF.

Bytes are deterministic under ``SOURCE_DATE_EPOCH``: WeasyPrint 70 does not read it, so the
creation and modification dates are set from it here, and the PDF's /ID is derived from the
HTML rather than left to chance.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import UTC, datetime
from typing import Any

__all__ = ["RenderError", "render_pdf"]

PDF_VARIANT = "pdf/ua-1"


class RenderError(Exception):
    """WeasyPrint could not make a PDF from the HTML (a bug in a template, or a resource)."""


def source_datetime() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when it is not set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else None


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


def render_pdf(html: str, *, requested: list[str] | None = None) -> bytes:
    """Render ``html`` (which must carry ``<html lang=...>`` and a ``<title>``) to PDF/UA-1.

    ``requested``, when given, collects every URL WeasyPrint asked the fetcher for, so a
    test can prove that nothing but ``data:`` was ever requested.
    """
    from weasyprint import HTML

    # Refused resources are logged as errors by WeasyPrint; they are expected (untrusted
    # notes may hold <img src=...>) and must not write to a terminal running the app.
    logging.getLogger("weasyprint").propagate = False
    try:
        document = HTML(
            string=html, base_url=None, url_fetcher=_data_only_fetcher(requested)
        ).render(pdf_variant=PDF_VARIANT)
        date = _document_date()
        document.metadata.created = date
        document.metadata.modified = date
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
    except Exception as exc:
        raise RenderError(f"could not render the PDF: {exc}") from exc
    assert isinstance(pdf, bytes)
    return pdf
