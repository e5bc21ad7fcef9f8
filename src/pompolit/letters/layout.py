"""HTML to PDF for the letters' batches, spread over the machine's cores.

weasyprint lays out about twenty pages a second on one core, and a batch of 2,000 letters is
4,000 pages: laid out in one process that is minutes. So a long batch is cut into parts of
`PART` letters, each part laid out in its own process (as many as there are cores), and the
parts' PDFs are joined into one in their order (pikepdf, i.e. qpdf: `join`). The work
overlaps: this process renders a part's HTML only when a worker will soon take it (`Lazy`)
and joins each PDF as soon as it and those before it are done, so neither the rendering nor
the join waits for the whole batch. A part's process holds one part's layout at a time, so the
memory stays that of `PART` letters whatever the batch.

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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from typing import Any, Protocol

PART = 100  # letters laid out together: one process's work at a time
AHEAD = 2  # parts given to the pool per process before waiting for the first
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


class Parts(Protocol):
    """The parts' HTML: how many, and each in order (a list, or `Lazy`)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[str]: ...


@dataclass(frozen=True)
class Lazy:
    """`count` parts' HTML, each made by `render(index)` only when the layout comes to it: the
    next parts are rendered here while the earlier ones are laid out in the workers."""

    count: int
    render: Callable[[int], str]

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        return (self.render(index) for index in range(self.count))


def workers(parts: int) -> int:
    return max(1, min(parts, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def pdfs(parts: Parts, processes: int | None = None) -> Iterator[bytes]:
    """The parts' PDFs, in order: in this process for one part (or one core), else in
    `processes` worker processes side by side. A part's HTML is taken (rendered, if `Lazy`)
    when a worker will soon be free for it (at most `AHEAD` parts a worker given out), and each
    PDF handed on as soon as it and those before it are done: the caller joins it meanwhile."""
    processes = processes or workers(len(parts))
    if len(parts) <= 1 or processes <= 1:
        yield from (pdf(html) for html in parts)
        return
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        given: deque[AsyncResult[bytes]] = deque()
        for html in parts:
            given.append(pool.apply_async(pdf, (html,)))
            while given and (len(given) >= AHEAD * processes or given[0].ready()):
                yield given.popleft().get()
        while given:
            yield given.popleft().get()


def joined(parts: Parts, processes: int | None = None,
           progress: Callable[[int], None] | None = None) -> bytes:
    """One PDF of the parts, in order; `progress(n)` after each part laid out and joined."""
    if len(parts) == 1 and not progress:
        return pdf(next(iter(parts)))
    return join(pdfs(parts, processes), progress)


def join(made: Iterable[bytes], progress: Callable[[int], None] | None = None) -> bytes:
    """The PDFs' pages in one PDF, in order, each PDF joined as it comes (pikepdf: qpdf).

    The first PDF is the base (its title stays); each next one's pages are copied in with what
    they use, an object its pages share (the fonts, the resources) once. The streams are written
    as they came, compressed (`StreamDecodeLevel.none`: nothing decoded), and the other objects
    packed into compressed object streams as weasyprint packs them: written plain, a part's
    page resources (a pattern per reply form) come to six times the parts' size."""
    import pikepdf  # only when a PDF is asked for

    opened: list[pikepdf.Pdf] = []  # a copied page's streams are read from its part at saving
    try:
        for done, part in enumerate(made, 1):
            opened.append(pikepdf.Pdf.open(io.BytesIO(part)))
            if done > 1:
                opened[0].pages.extend(opened[-1].pages)
            if progress:
                progress(done)
        if not opened:
            raise ValueError("No PDF to join.")
        out = io.BytesIO()
        opened[0].save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                       stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()
    finally:
        for each in opened:
            each.close()
