"""Open data: only consenting cases, only what their page shows, stable public ids, the same
bytes for the same data, a manifest signed with the log's key, and the pages in both
languages."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pompolit.transparency import opendata as signed
from pompolit.transparency.errors import VerificationError
from pompolit.transparency.report import Report

from pompolit.cases.public.consent import give, withdraw
from pompolit.cases.testing import days
from pompolit.intake import services as intake
from pompolit.public import opendata
from pompolit.public.conftest import publish, visitor
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse: a key of the test's own)


@pytest.fixture(autouse=True)
def no_cached_export(db):
    cache.clear()


def today():
    return timezone.localdate()


def exported(name="prisoners.json"):
    return opendata.build(today())[name]


def rows():
    return {row["public_id"]: row for row in json.loads(exported())["prisoners"]}


def csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_only_cases_with_a_consent_in_force_are_exported(published, worker):
    ids = {c.public_id for key, c in published.items() if key != "hidden"}
    assert set(rows()) == ids
    withdraw(worker, published["gorinov"], given_by="prisoner")
    publish(worker, published["kara"], ["name"], given_on=days(-30), expires_on=days(-1))
    assert set(rows()) == {published["skochilenko"].public_id}
    everything = b"".join(opendata.build(today()).values()).decode("utf-8", "replace")
    for gone in ("Скрытый", "Горинов", "Кара-Мурза", published["hidden"].public_id,
                 published["gorinov"].public_id):
        assert gone not in everything


def test_fields_are_only_those_the_consent_publishes(published):
    found = rows()
    kara = found[published["kara"].public_id]  # consented to the name and charges only
    assert kara["name"] == "Кара-Мурза Владимир"
    assert kara["charges"] == ["УК РФ 275"]
    assert {k for k, v in kara.items() if v not in (None, [])} == {"public_id", "name",
                                                                  "charges"}
    gorinov = found[published["gorinov"].public_id]
    assert gorinov["status"] == "sentenced"
    assert (gorinov["region"], gorinov["birth_date"]) == ("Омская область", "1961-09-21")
    assert gorinov["interests"] == ["история", "шахматы"]
    assert gorinov["sentence_months"] == 84
    assert gorinov["letter_address"][0] == "Горинов Алексей, 1961 г. р."
    assert gorinov["receives_letters"] is True
    # The labels in both languages, whatever the language of the request.
    assert gorinov["status_en"] != gorinov["status_ru"]
    skochilenko = found[published["skochilenko"].public_id]
    assert skochilenko["birth_date"] is None and skochilenko["charges"] == []
    # Without the birthday in the consent, the address names her without a year of birth.
    assert skochilenko["letter_address"][0] == "Скочиленко Александра"
    assert skochilenko["receives_letters"] is False


def test_a_partial_birth_date_stays_partial(published, worker):
    person = published["gorinov"].person
    from pompolit.cases.testing import P

    person.birth_date = P("1961-09")
    person.save()
    assert rows()[published["gorinov"].public_id]["birth_date"] == "1961-09"


def test_stories_in_both_languages(published, worker):
    give(worker, published["kara"], given_by="prisoner", given_on=days(-1),
         scope=["name", "story"], story_ru="Политик.", story_en="")
    kara = rows()[published["kara"].public_id]
    assert (kara["story_ru"], kara["story_en"]) == ("Политик.", None)


def test_no_internal_ids_or_counts(published):
    found = rows()
    for row in found.values():
        assert set(row) == set(opendata.PRISONER_FIELDS)
        assert len(row["public_id"]) == 12 and not row["public_id"].isdigit()
    counts = json.loads(exported("counts.json"))
    assert counts["prisoners"]["listed"] == 3  # four cases, one not published
    assert counts["prisoners"]["by_region"] == [{"region": "Москва", "prisoners": 1},
                                                {"region": "Омская область", "prisoners": 1}]
    assert [s["status"] for s in counts["prisoners"]["by_status"]] == ["sentenced"]
    assert counts["prisoners"]["by_status"][0]["prisoners"] == 2  # Kara-Murza's is unpublished
    assert counts["detentions"] == intake.public_counts()


def test_ids_are_stable_and_rows_do_not_depend_on_other_cases(published, worker, open_case):
    before = rows()
    publish(worker, open_case("Навальный", "Алексей"), ["name"])
    after = rows()
    assert len(after) == 4
    for public_id, row in before.items():
        assert after[public_id] == row
        assert public_id in {c.public_id for c in published.values()}


def test_the_same_data_gives_the_same_bytes(published):
    first, second = opendata.build(today()), opendata.build(today())
    assert first == second
    assert list(json.loads(first["prisoners.json"])["prisoners"]) == sorted(
        json.loads(first["prisoners.json"])["prisoners"], key=lambda r: r["public_id"])
    # Canonical JSON: what a reader re-encodes canonically is the same bytes.
    import rfc8785

    for name in ("prisoners.json", "counts.json", "manifest.json"):
        assert rfc8785.dumps(json.loads(first[name])) == first[name]


def test_files_for_the_static_mirror(published):
    found = opendata.files()
    assert sorted(found) == [f"prisoners/data/v1/{name}" for name in (
        "counts.csv", "counts.json", "manifest.json", "manifest.json.sig", "prisoners.csv",
        "prisoners.json")]
    assert reverse("public_open_data_file", args=["prisoners.json"]) == (
        "/" + opendata.DIRECTORY + "/prisoners.json")
    assert found == opendata.files()
    assert set(opendata.FILES) == set(opendata.build(today()))


def test_the_manifest_is_signed_with_the_log_key(published, log_signing_key):  # noqa: F811
    built = opendata.build(today())
    report = Report()
    export = signed.verify_export(lambda name: built[name], log_signing_key, report)
    assert {f.name for f in export.files} == {"prisoners.json", "prisoners.csv",
                                              "counts.json", "counts.csv"}
    assert export.exported_on == today().isoformat()
    manifest = json.loads(built["manifest.json"])
    assert manifest["format"] == "pompolit-open-data/1" and manifest["licence"] == "CC-BY-4.0"
    tampered = {**built, "prisoners.csv": built["prisoners.csv"].replace(
        "Горинов".encode(), "Горинав".encode())}
    with pytest.raises(VerificationError, match=r"prisoners\.csv does not match"):
        signed.verify_export(lambda name: tampered[name], log_signing_key, Report())


def test_the_csv_has_a_header_and_cyrillic_names(published):
    table = csv_rows(exported("prisoners.csv"))
    assert table[0] == list(opendata.PRISONER_FIELDS)
    by_id = {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    gorinov = by_id[published["gorinov"].public_id]
    assert gorinov["name"] == "Горинов Алексей"
    assert gorinov["interests"] == "история\nшахматы"
    assert gorinov["receives_letters"] == "true" and gorinov["sentence_months"] == "84"
    assert by_id[published["kara"].public_id]["region"] == ""
    counts = csv_rows(exported("counts.csv"))
    assert counts[0] == list(opendata.COUNT_FIELDS)
    assert ["prisoners", "all", "", "", "", "3"] in counts
    assert ["prisoners", "region", "Омская область", "", "", "1"] in counts


def test_a_formula_is_not_run_by_a_spreadsheet(published, worker):
    give(worker, published["kara"], given_by="prisoner", given_on=days(-1),
         scope=["name", "interests"], interests="=HYPERLINK(\"http://x\")")
    table = csv_rows(exported("prisoners.csv"))
    kara = next(r for r in table if r[0] == published["kara"].public_id)
    assert kara[table[0].index("interests")].startswith("'=HYPERLINK")
    assert rows()[published["kara"].public_id]["interests"] == ["=HYPERLINK(\"http://x\")"]


@pytest.mark.parametrize(("language", "heading"), [("en", "Open data"),
                                                   ("ru", "Открытые данные")])
def test_the_page_in_both_languages(published, language, heading, log_signing_key):  # noqa: F811
    response = visitor(language).get(reverse("public_open_data"))
    page = response.content.decode()
    assert response.status_code == 200 and heading in page
    assert reverse("public_open_data_file", args=["prisoners.csv"]) in page
    assert log_signing_key in page
    assert signed.sha256_hex(exported("prisoners.json")) in page


def test_the_list_links_to_the_open_data(published):
    page = visitor("ru").get(reverse("public_case_list")).content.decode()
    assert reverse("public_open_data") in page and "открытые данные" in page


def test_each_file_is_served(published):
    client = visitor()
    for name, data in opendata.build(today()).items():
        response = client.get(reverse("public_open_data_file", args=[name]))
        assert response.status_code == 200 and response.content == data
        assert response["Access-Control-Allow-Origin"] == "*"
    response = client.get(reverse("public_open_data_file", args=["prisoners.csv"]))
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    again = client.get(reverse("public_open_data_file", args=["prisoners.csv"]),
                       HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get(reverse("public_open_data_file", args=["secrets.csv"])).status_code == 404


def test_without_the_signing_key_nothing_is_served_unsigned(published, settings, tmp_path):
    settings.POMPOLIT_LOG_KEY_FILE = tmp_path / "missing.key"
    response = visitor().get(reverse("public_open_data_file", args=["prisoners.json"]))
    assert response.status_code == 503
    page = visitor().get(reverse("public_open_data"))
    assert page.status_code == 200 and b"cannot be signed right now" in page.content


def test_the_export_is_cached_briefly(published, worker):
    first = visitor().get(reverse("public_open_data_file", args=["prisoners.json"])).content
    withdraw(worker, published["gorinov"], given_by="prisoner")
    assert visitor().get(reverse("public_open_data_file",
                                 args=["prisoners.json"])).content == first
    cache.clear()
    assert published["gorinov"].public_id.encode() not in visitor().get(
        reverse("public_open_data_file", args=["prisoners.json"])).content


def test_everything_in_the_export_was_on_the_profiles(published):
    """Each published text of a row is on the person's page (the page is the limit)."""
    client = visitor("ru")
    for public_id, row in rows().items():
        page = client.get(reverse("public_case", args=[public_id])).content.decode()
        for name in ("name", "facility", "status_ru", "sentence_ru", "story_ru"):
            if row[name]:
                assert row[name] in page, (public_id, name)
        for item in row["charges"] + row["interests"] + row["letter_address"]:
            assert item in page, (public_id, item)
