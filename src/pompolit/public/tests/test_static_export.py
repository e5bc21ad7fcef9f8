"""`pompolit public export DIR`: the public side as a static site — both languages, relative
links only, the statements' files byte for byte (the verifier checks them there), the receipt
index, only what changed written again, and what is no longer published removed."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pompolit.transparency import cli as verifier

from pompolit.cases.photos import services as photos
from pompolit.cases.public import consent
from pompolit.cases.testing import phone_photo
from pompolit.ledger.statements import services as statements
from pompolit.ledger.testing import (  # noqa: F401 (fixtures)
    AFTER_MARCH,
    appeal,
    general,
    lawyers,
    make_books,
    treasurer,
)
from pompolit.public.conftest import EVERYTHING, publish
from pompolit.public.static_export import build, export
from pompolit.public.static_export.output import MANIFEST, read_manifest
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse fixture)
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares  # noqa: F401

LINK = re.compile(r'\b(?:href|src|action|data-url-[a-z]+)="([^"]*)"')


@pytest.fixture
def site(published, calendar_of, worker, treasurer, general, lawyers, appeal,  # noqa: F811
         unsealed_vault):  # noqa: F811
    """Three published prisoners (one with a photo and hearings), two statements, receipts."""
    gorinov = published["gorinov"]
    photos.set_photo(worker, gorinov, phone_photo())
    publish(worker, gorinov, [*EVERYTHING, "hearings", "photo"], interests="история")
    codes = make_books(treasurer, general, lawyers, appeal)
    statements.publish(treasurer, "2025-02", today=AFTER_MARCH)
    statements.publish(treasurer, "2025-03", today=AFTER_MARCH)
    return {"cases": published, "codes": codes}


@pytest.fixture
def out(tmp_path):
    """The export's folder (tmp_path also holds the test's log key)."""
    return tmp_path / "site"


def pages(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text("utf-8") for p in folder.rglob("*.html")}


def test_both_languages_every_profile_and_nothing_unpublished(site, out):
    export(out)
    cases = site["cases"]
    found = pages(out)
    for language in ("ru", "en"):
        assert f"{language}/prisoners/index.html" in found
        for name in ("gorinov", "skochilenko", "kara"):
            assert f"{language}/prisoners/{cases[name].public_id}/index.html" in found
        assert not (out / language / "prisoners" / cases["hidden"].public_id).exists()
    assert "Политзаключённые" in found["ru/prisoners/index.html"]
    assert "Political prisoners" in found["en/prisoners/index.html"]
    everything = "".join(found.values())
    assert "Скрытый" not in everything and "Горинов Алексей" in everything
    gorinov = cases["gorinov"].public_id
    assert (out / "photos" / f"{gorinov}.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert f"../../../photos/{gorinov}.jpg" in found[f"en/prisoners/{gorinov}/index.html"]
    assert (out / "en" / "prisoners" / gorinov / "hearings.ics").read_bytes().startswith(
        b"BEGIN:VCALENDAR")
    assert b"<feed" in (out / "ru" / "prisoners" / "hearings" / "atom.xml").read_bytes()


def test_every_link_is_relative_and_leads_to_a_file(site, out):
    export(out)
    for name, html in pages(out).items():
        for target in LINK.findall(html):
            assert not target.startswith(("/", "http:", "https:")), (name, target)
            if target.startswith(("#", "data:", "mailto:")):
                continue
            path = (out / name).parent / target.split("#")[0]
            assert path.resolve().is_file(), (name, target)
            assert path.resolve().is_relative_to(out.resolve()), (name, target)


def test_forms_that_need_the_server_become_a_note(site, out):
    export(out)
    found = pages(out)
    gorinov = site["cases"]["gorinov"].public_id
    hearings = found["ru/prisoners/hearings/index.html"]
    assert "<form" not in hearings.replace("<form", "", 0) or "method=\"post\"" not in hearings
    assert "csrfmiddlewaretoken" not in "".join(found.values())
    profile = found[f"en/prisoners/{gorinov}/index.html"]
    # "Report an inaccuracy" needs the server: it leads to the copy's page saying so.
    assert 'href="../../live/index.html">Report an inaccuracy' in profile
    live = found["en/live/index.html"]
    assert "This is a copy of the site" in live
    # The language buttons are links to the same page in the other tree.
    assert f'href="../../../ru/prisoners/{gorinov}/index.html" lang="ru"' in profile


def test_the_live_address_is_named_where_it_is_set(site, out):
    export(out, live_url="https://politzek.example")
    assert "https://politzek.example" in (out / "ru" / "live" / "index.html").read_text()


def test_the_statements_are_the_published_bytes_and_verify(site, out, capsys):
    export(out)
    client = Client()
    for period in ("2025-02", "2025-03"):
        served = b"".join(client.get(f"/ledger/statements/{period}/statement.json")
                          .streaming_content)
        assert (out / "ledger" / "statements" / period / "statement.json").read_bytes() \
            == served
    vkey = str(out / "ledger" / "vkey.txt")
    folder = out / "ledger" / "statements"
    assert verifier.main(["statement", str(folder / "2025-03" / "statement.json"),
                          "--previous", str(folder / "2025-02" / "statement.json"),
                          "--vkey-file", vkey]) == 0
    code = site["codes"]["march"]
    assert verifier.main(["receipt", code, "--statement",
                          str(folder / "2025-03" / "statement.json"), "--vkey-file", vkey]) == 0
    assert "1500.50" in capsys.readouterr().out


def test_the_receipt_index_holds_proofs_the_verifier_accepts(site, out):
    from pompolit.ledger import receipts

    export(out)
    wanted = receipts.receipt_id(site["codes"]["march"])
    shard = json.loads((out / "ledger" / "receipts" / f"{wanted[:2]}.json").read_text())
    found = shard["receipts"][wanted]
    proof = out / "proof.json"
    proof.write_text(json.dumps(found["inclusion"]))
    assert verifier.main(["inclusion", str(proof), "--vkey-file",
                          str(out / "ledger" / "vkey.txt")]) == 0
    # Every shard is there, empty or not, and holds nothing but receipts' proofs.
    assert len(list((out / "ledger" / "receipts").glob("*.json"))) == 256
    reversed_code = receipts.receipt_id(site["codes"]["reversed"])
    shard = json.loads((out / "ledger" / "receipts" / f"{reversed_code[:2]}.json")
                       .read_text())
    assert shard["receipts"][reversed_code]["reversed_by"] is not None


def test_a_second_export_with_no_change_writes_nothing(site, out):
    first = export(out)
    assert first.added and not first.changed
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = export(out)
    assert again.touched == 0 and again.unchanged == len(first.added)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_a_withdrawn_consent_removes_the_profile_and_its_photo(site, out, worker):
    export(out)
    gorinov = site["cases"]["gorinov"]
    consent.withdraw(worker, gorinov, given_by="prisoner")
    again = export(out)
    pid = gorinov.public_id
    assert f"photos/{pid}.jpg" in again.removed
    assert f"ru/prisoners/{pid}/index.html" in again.removed
    assert not (out / "photos" / f"{pid}.jpg").exists()
    assert not (out / "ru" / "prisoners" / pid).exists()
    assert pid not in (out / MANIFEST).read_text()
    assert "Горинов" not in "".join(pages(out).values())
    assert set(read_manifest(out)) == {
        str(p.relative_to(out)) for p in out.rglob("*")
        if p.is_file() and p.name != MANIFEST}


def test_extra_providers_add_their_files(site, out, monkeypatch):
    from pompolit.public.static_export import providers

    monkeypatch.setattr(providers, "EXTRA_PROVIDERS", [
        providers.under("data/v1", lambda: {"prisoners.csv": "имя\n".encode()})])
    files = build()
    assert files["data/v1/prisoners.csv"] == "имя\n".encode()


def test_a_provider_cannot_write_outside_the_folder(site, tmp_path, monkeypatch):
    from pompolit.public.static_export import providers

    monkeypatch.setattr(providers, "EXTRA_PROVIDERS", [lambda: {"../escape.txt": b"x"}])
    with pytest.raises(ValueError, match="relative path"):
        export(tmp_path / "site")
    assert not (tmp_path / "escape.txt").exists()


def test_the_command(site, out):
    printed = io.StringIO()
    call_command("public", "export", str(out), stdout=printed)
    assert "added" in printed.getvalue() and (out / "index.html").is_file()
    call_command("public", "export", str(out), stdout=printed)
    assert "0 added, 0 changed, 0 removed" in printed.getvalue()


def test_a_profile_page_is_what_a_plain_render_makes(site, out):
    """layout.py renders the base once and the profile's blocks per page: the same text as
    Django's own render of the template."""
    from django.template import Context, engines
    from django.template.loader import get_template
    from django.utils import translation

    from pompolit.cases.public.profiles import published_case
    from pompolit.public.static_export.layout import Layout
    from pompolit.public.static_export.site import Site

    template = get_template("public/profile.html").template
    for language in ("ru", "en"):
        with translation.override(language):
            request = Site().request("/prisoners/x/", language)
            shared = {}
            for processor in engines["django"].engine.template_context_processors:
                shared.update(processor(request))
            for case in site["cases"].values():
                shown = published_case(case.public_id)
                if shown is None:
                    continue
                values = {"profile": shown, "letter_url": "/letters/x/", "donate_url": ""}
                plain = template.render(Context({**shared, **values}, autoescape=True))
                # The language form carries the request's CSRF token; the copy replaces it.
                token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
                assert token.sub("", Layout(template, shared).render(values)) == \
                    token.sub("", plain)


def test_only_the_profiles_that_changed_are_rendered_again(site, out, worker, monkeypatch):
    from pompolit.public.static_export.layout import Layout

    export(out)
    kara = site["cases"]["kara"]
    publish(worker, kara, EVERYTHING, interests="шахматы")
    rendered = []
    render = Layout.render
    monkeypatch.setattr(Layout, "render", lambda self, values: (
        rendered.append(values["profile"].public_id), render(self, values))[1])
    again = export(out)
    # Two renders per language are the sample page every export makes (site.profile_version).
    assert sorted(p for p in rendered if p != "sample") == [kara.public_id] * 2
    assert {f"ru/prisoners/{kara.public_id}/index.html",
            f"en/prisoners/{kara.public_id}/index.html"} <= set(again.changed)
    assert "шахматы" in (out / "ru" / "prisoners" / kara.public_id / "index.html").read_text()
    # The folder is what a full export into an empty one makes.
    fresh = out.parent / "fresh"
    export(fresh)
    assert pages(out) == pages(fresh)
    stamped = (".ics", "atom.xml")  # made at the time of the export (output.same_but_stamps)
    assert {n: h for n, h in read_manifest(out).items() if not n.endswith(stamped)} == \
        {n: h for n, h in read_manifest(fresh).items() if not n.endswith(stamped)}


def test_a_page_changed_or_lost_in_the_folder_is_rendered_again(site, out):
    export(out)
    gorinov = site["cases"]["gorinov"].public_id
    page = out / "en" / "prisoners" / gorinov / "index.html"
    page.unlink()
    again = export(out)
    assert again.changed == [f"en/prisoners/{gorinov}/index.html"] and page.is_file()
    # A manifest that no longer matches what the last export noted: nothing is trusted.
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text().replace(
        read_manifest(out)[f"ru/prisoners/{gorinov}/index.html"], "0" * 64))
    (out / "ru" / "prisoners" / gorinov / "index.html").write_text("stale")
    again = export(out)
    assert f"ru/prisoners/{gorinov}/index.html" in again.changed
    assert "Горинов" in (out / "ru" / "prisoners" / gorinov / "index.html").read_text()
