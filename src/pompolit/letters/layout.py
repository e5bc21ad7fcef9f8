"""HTML to PDF for the letters' batches, spread over the machine's cores.

weasyprint lays out about twenty pages a second on one core, and a batch of 2,000 letters is
4,000 pages: laid out in one process that is minutes. So a long batch is cut into parts of
`PART` letters, each part laid out in its own process (as many as there are cores), and the
parts' PDFs are joined into one in their order (pypdf). A part's process holds one part's
layout at a time, so the memory stays that of `PART` letters whatever the batch.

This module imports no Django: the worker processes start fresh (`spawn`: safe beside the
web server's threads) and import only this. The HTML given to them is already rendered and
escaped; their URL fetcher refuses every URL, as the parcels' batches' does
(aid/batches/documents.py), so a PDF fetches nothing, from the network or anywhere else. The
one address it takes is a JPEG put into the HTML itself (`data_uri`: a prisoner's photo on the
letter-evening cards), decoded in memory.
"""

from __future__ import annotations

import base64
import binascii
import io
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

PART = 100  # letters laid out together: one process's work at a time
JPEG_DATA = "data:image/jpeg;base64,"


class FetchRefused(ValueError):
    pass


def refuse(url: str) -> Any:
    raise FetchRefused(f"Letters fetch nothing ({url[:60]}).")


def data_uri(jpeg: bytes) -> str:
    """A JPEG inside the HTML, for the one thing the fetcher takes."""
    return JPEG_DATA + base64.b64encode(jpeg).decode("ascii")


def embedded(url: str) -> bytes:
    """The JPEG of a `data_uri`; anything else is refused."""
    try:
        if url.startswith(JPEG_DATA):
            return base64.b64decode(url[len(JPEG_DATA):], validate=True)
    except binascii.Error:
        pass
    refused: bytes = refuse(url)
    return refused


def _refusing_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Refuse(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                return refuse(url)
            return URLFetcherResponse(url[:40], embedded(url),
                                      headers={"Content-Type": "image/jpeg"})

    return Refuse(allowed_protocols=(), fail_on_errors=False)


def pdf(html: str) -> bytes:
    """One HTML document laid out as a PDF, in this process."""
    import weasyprint  # heavy (pango): only when a PDF is asked for

    made: bytes = weasyprint.HTML(string=html, url_fetcher=_refusing_fetcher()).write_pdf()
    return made


def workers(parts: int) -> int:
    return max(1, min(parts, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def pdfs(parts: Sequence[str], processes: int | None = None) -> Iterator[bytes]:
    """The parts' PDFs, in order: in this process for one part (or one core), else in
    `processes` worker processes side by side."""
    processes = processes or workers(len(parts))
    if len(parts) <= 1 or processes <= 1:
        yield from (pdf(html) for html in parts)
        return
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        yield from pool.imap(pdf, parts, chunksize=1)


def joined(parts: Sequence[str], processes: int | None = None,
           progress: Callable[[int], None] | None = None) -> bytes:
    """One PDF of the parts, in order; `progress(n)` after each part laid out."""
    if len(parts) == 1 and not progress:
        return pdf(parts[0])
    from pypdf import PdfWriter

    writer = PdfWriter()
    for done, made in enumerate(pdfs(parts, processes), 1):
        writer.append(io.BytesIO(made))
        if progress:
            progress(done)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
