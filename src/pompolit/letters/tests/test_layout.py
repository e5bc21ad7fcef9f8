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
