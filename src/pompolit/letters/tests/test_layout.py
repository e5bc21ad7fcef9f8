"""HTML to PDF in parts (letters/layout.py): nothing fetched, the parts joined in order."""

from __future__ import annotations

import io
from typing import Any

import pytest

from pompolit.letters import layout


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(layout.FetchRefused):
        layout.refuse("https://fonts.example/font.woff2")
    asked = []
    refuse = layout.refuse

    def spy(url: str) -> Any:
        asked.append(url)
        return refuse(url)

    monkeypatch.setattr(layout, "refuse", spy)
    html = ('<link rel="stylesheet" href="https://example.org/x.css">'
            '<img src="http://example.org/x.png"><p>Письмо</p>')
    assert layout.pdf(html).startswith(b"%PDF-")  # the refused resources are left out
    assert set(asked) == {"https://example.org/x.css", "http://example.org/x.png"}


def test_the_parts_are_joined_in_their_order() -> None:
    from pypdf import PdfReader

    parts = [f'<p style="break-after: page">Часть {n}, стр. 1</p><p>Часть {n}, стр. 2</p>'
             for n in range(3)]
    seen: list[int] = []
    joined = layout.joined(parts, processes=1, progress=seen.append)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(joined)).pages]
    assert seen == [1, 2, 3]
    assert [" ".join(p.split()) for p in pages] == [
        f"Часть {n}, стр. {k}" for n in range(3) for k in (1, 2)]


def test_a_jpeg_in_the_page_itself_is_the_one_thing_taken() -> None:
    import base64

    from PIL import Image
    from pypdf import PdfReader

    out = io.BytesIO()
    Image.new("RGB", (40, 60), (200, 0, 0)).save(out, "JPEG")
    uri = layout.data_uri(out.getvalue())
    assert layout.embedded(uri) == out.getvalue()
    for refused in ("data:text/css;base64,Ym9keXt9", "data:image/jpeg;base64,@@@",
                    "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()):
        with pytest.raises(layout.FetchRefused):
            layout.embedded(refused)
    made = layout.pdf(f'<img src="{uri}" style="width: 20mm"><p>Фото</p>')
    assert len(PdfReader(io.BytesIO(made)).pages[0].images) == 1


def test_parts_are_rendered_as_the_workers_come_to_them_and_joined_as_they_are_done() -> None:
    """Five parts on two processes: a part's HTML is asked for only when a worker will soon be
    free (two parts a worker given out), so the fifth after the first is joined; every letter's
    two pages come in the parts' order."""
    from pypdf import PdfReader

    events: list[tuple[str, int]] = []

    def render(index: int) -> str:
        events.append(("rendered", index))
        return "".join(f'<p style="break-after: page">Письмо {2 * index + k}</p>'
                       f'<p style="break-after: page">Бланк {2 * index + k}</p>'
                       for k in range(2))

    made = layout.joined(layout.Lazy(5, render), processes=2,
                         progress=lambda done: events.append(("joined", done)))
    assert [e for e in events if e[0] == "joined"] == [("joined", n) for n in range(1, 6)]
    assert [e for e in events if e[0] == "rendered"] == [("rendered", n) for n in range(5)]
    assert events.index(("rendered", 4)) > events.index(("joined", 1))
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(made)).pages]
    assert pages == [f"{kind} {n}" for n in range(10) for kind in ("Письмо", "Бланк")]


def test_the_joined_pdf_is_about_the_size_of_its_parts() -> None:
    """The parts' objects stay packed in compressed object streams: written plain, a hundred
    letters' resources made the joined PDF several times its parts."""
    part = "".join(f'<p style="break-after: page; background: linear-gradient(#fff, #eee)">'
                   f'Письмо {n}</p>' for n in range(60))
    made = [layout.pdf(part) for _ in range(3)]
    joined = layout.join(made)
    assert len(joined) < 1.1 * sum(len(each) for each in made)
