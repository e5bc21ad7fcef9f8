"""Batches for the post office: labels and content lists (PDF), the couriers' CSV."""

import csv
import datetime
import io

import pytest

from pompolit.aid import lifecycle
from pompolit.aid.batches import documents, services
from pompolit.aid.batches.services import Batch, Content, FacilityBatch, Parcel
from pompolit.audit.models import AuditEntry

OMSK = FacilityBatch(
    "ФКУ ИК-6 УФСИН России по Омской области", "RU",
    ("ФКУ ИК-6 УФСИН России по Омской области", "ул. Семиреченская, д. 101", "г. Омск",
     "Омская область", "644010"),
    (Parcel(7, "parcel", "Чернышёв Алексей Игоревич, 1987 г. р.",
            (Content("food", "чай, сахар, сухари", 1, 5000),
             Content("soap and hygiene", "=HYPERLINK(\"http://x\")", 2, 400))),),
)
BERLIN = FacilityBatch(
    "JVA Moabit", "DE", ("JVA Moabit", "Alt-Moabit 12a", "10559 Berlin", "DE"),
    (Parcel(8, "books", "+Dangerous Name", (Content("books", "Tolstoy", 1, 900),)),),
)
BATCH = Batch("Parcels to send", (OMSK, BERLIN))


def test_html_has_every_address_and_content_line():
    html = documents.render_html(BATCH)
    for line in (*OMSK.address, *BERLIN.address):
        assert line in html
    assert "Чернышёв Алексей Игоревич, 1987 г. р." in html
    assert "чай, сахар, сухари" in html
    assert "http" not in html.split("<body>")[0]  # nothing remote in the head


def test_pdf_is_a_pdf_with_the_dejavu_font_and_a_page_per_facility():
    pdf = documents.render_pdf(BATCH)
    assert pdf.startswith(b"%PDF-")
    import weasyprint

    document = weasyprint.HTML(string=documents.render_html(BATCH),
                               url_fetcher=documents.no_fetcher()).render()
    assert b"DejaVu" in document.write_pdf(uncompressed_pdf=True)  # the font, embedded
    assert len(document.pages) == 2  # each facility starts a page
    text = "".join(box.text for page in document.pages for box in _texts(page._page_box))
    assert "644010" in text and "Семиреченская" in text and "10559 Berlin" in text


def _texts(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_nothing_is_fetched(monkeypatch):
    with pytest.raises(documents.NetworkRefused):
        documents.refuse_fetch("https://fonts.example/font.woff2")
    import weasyprint

    asked = []
    refuse = documents.refuse_fetch

    def spy(url, *args, **kwargs):
        asked.append(url)
        return refuse(url)

    monkeypatch.setattr(documents, "refuse_fetch", spy)

    html = ('<link rel="stylesheet" href="https://example.org/x.css">'
            '<img src="http://example.org/x.png"><p>ok</p>')
    pdf = weasyprint.HTML(string=html, url_fetcher=documents.no_fetcher()).write_pdf()
    assert pdf.startswith(b"%PDF-")  # the refused resources are left out, quietly
    assert set(asked) == {"https://example.org/x.css", "http://example.org/x.png"}


def test_courier_csv_is_safe_for_spreadsheets():
    data = documents.courier_csv(BATCH)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Number", "Facility", "Recipient"]
    omsk, berlin = rows[1], rows[2]
    assert omsk[0] == "7" and omsk[4] == "644010" and omsk[5] == "RU"
    assert "г. Омск" in omsk[3] and omsk[8] == "5.400"
    assert "'=HYPERLINK" not in omsk[7] or omsk[7].startswith("food")
    assert berlin[2] == "'+Dangerous Name"
    assert berlin[4] == ""  # the postal code is inside "10559 Berlin" elsewhere
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.django_db
def test_batch_from_approved_parcels(worker, coordinator, prisoner, parcel, client_for, outsider):
    draft = parcel()
    approved = parcel(grams=3000)
    lifecycle.approve_item(worker, approved, on=datetime.date(2026, 11, 10))
    batch = services.batch_for(services.batch_items(worker), "t")
    assert [p.number for f in batch.facilities for p in f.parcels] == [approved.pk]
    assert draft.pk not in [p.number for f in batch.facilities for p in f.parcels]
    facility = batch.facilities[0]
    assert facility.address[-1] == "644010"
    assert facility.parcels[0].recipient == "Чернышёв Алексей Игоревич, 1987 г. р."
    assert facility.parcels[0].contents[0].grams == 3000

    client = client_for(worker)
    page = client.get("/aid/batches/")
    assert page.status_code == 200 and "ИК-6" in page.content.decode()
    pdf = client.get("/aid/batches/parcels.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    data = client.get("/aid/batches/parcels.csv")
    assert data.status_code == 200 and "644010" in data.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="aid.batch_printed").count() == 2

    other = client_for(outsider).get("/aid/batches/parcels.csv").content.decode("utf-8-sig")
    assert "644010" not in other and "Чернышёв" not in other
