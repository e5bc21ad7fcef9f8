"""Bank statement imports: Russian CSV exports, camt.053, rules, the preview, all-or-nothing
commits, idempotent re-imports, and hostile XML."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pompolit.ledger.bank_import import camt053
from pompolit.ledger.bank_import import services as bank_import
from pompolit.ledger.bank_import.lines import CsvLayout, parse_amount, parse_csv, parse_date
from pompolit.ledger.bank_import.models import BankImport, ImportedLine, KeptCounterparty
from pompolit.ledger.models import Donation, Entry, FundBalance

SBER_HEADER = ("Дата проводки;№ документа;Контрагент;Счёт контрагента;Сумма по дебету;"
               "Сумма по кредиту;Назначение платежа")
SBER_LINES = [
    "14.03.2025;101;Петров Пётр Петрович;40817810099910004312;;1 500,00;"
    "Пожертвование на адвокатов",
    "15.03.2025;102;Сидорова Анна;40817810099910001111;;2 000,50;пожертвование",
    "15.03.2025;103;ПАО Сбербанк;30101810400000000225;150,00;;Комиссия за ведение счёта",
    "16.03.2025;104;Иванов И.И.;40817810099910002222;;700,00;Возврат долга",
]


def sber_file(lines=SBER_LINES, preamble=True):
    top = "ВЫПИСКА ПО СЧЁТУ 40703810938000012345\nПериод: 01.03.2025 - 31.03.2025\n"
    text = (top if preamble else "") + SBER_HEADER + "\n" + "\n".join(lines) + "\n"
    return text.encode("cp1251")


def camt(entries, *, doctype=""):
    return (f"""<?xml version="1.0" encoding="UTF-8"?>{doctype}
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>STMT-2025-03</MsgId><CreDtTm>2025-04-01T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
{"".join(entries)}</Stmt></BkToCstmrStmt></Document>""").encode()


def camt_entry(amount, currency, direction, day, reference, ref_id, name="Jane Doe",
               iban="FR7630006000011234567890189"):
    party = "Dbtr" if direction == "CRDT" else "Cdtr"
    return f"""<Ntry><Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{ref_id}</AcctSvcrRef>
<NtryDtls><TxDtls><RltdPties><{party}><Nm>{name}</Nm></{party}><{party}Acct><Id><IBAN>{iban}</IBAN>
</Id></{party}Acct></RltdPties><RmtInf><Ustrd>{reference}</Ustrd></RmtInf></TxDtls></NtryDtls>
</Ntry>"""


@pytest.fixture
def sberbank(treasurer):
    preset = bank_import.PRESETS["sberbank"]
    return bank_import.save_mapping(treasurer, code="sberbank", name=preset["name"],
                                    columns=preset["columns"], encoding="cp1251")


@pytest.fixture
def rules(treasurer, general, lawyers):
    bank_import.add_rule(treasurer, name="На адвокатов", outcome="donation", fund=lawyers,
                         reference_contains="на адвокатов", priority=10)
    bank_import.add_rule(treasurer, name="Пожертвования", outcome="donation", fund=general,
                         reference_contains="пожертвование", priority=20)
    bank_import.add_rule(treasurer, name="Комиссии", outcome="fee", fund=general,
                         reference_contains="комиссия", priority=30)


# -- reading -----------------------------------------------------------------------------------


def test_amounts_and_dates_as_banks_write_them():
    assert parse_amount("1 234,56") == Decimal("1234.56")
    assert parse_amount("1\u00a0234,56") == Decimal("1234.56")
    assert parse_amount("-1,234.56") == Decimal("-1234.56")
    assert parse_amount("1.234,56") == Decimal("1234.56")
    assert parse_date("31.12.2025") == parse_date("2025-12-31") == datetime.date(2025, 12, 31)
    assert parse_date("14.03.2025 10:22") == datetime.date(2025, 3, 14)
    with pytest.raises(ValueError):
        parse_amount("abc")


def test_a_sberbank_export_in_windows_1251_with_a_preamble(sberbank):
    lines = bank_import.read_lines(sber_file(), "csv", sberbank)
    assert [(li.line_no, li.amount, li.currency) for li in lines] == [
        (4, Decimal("1500.00"), "RUB"), (5, Decimal("2000.50"), "RUB"),
        (6, Decimal("-150.00"), "RUB"), (7, Decimal("700.00"), "RUB")]
    assert lines[0].counterparty == "Петров Пётр Петрович"


def test_a_tinkoff_export_in_utf8_with_bom_and_commas():
    text = ("\ufeffДата операции,Сумма операции,Валюта операции,Описание\n"
            '2025-03-14,"1500,00",RUB,Пожертвование\n'
            '2025-03-15,"-99,90",RUR,Комиссия\n')
    layout = CsvLayout("auto", "auto", bank_import.PRESETS["tinkoff"]["columns"], "RUB")
    lines = parse_csv(text.encode("utf-8"), layout)
    assert [(li.amount, li.currency) for li in lines] == [
        (Decimal("1500.00"), "RUB"), (Decimal("-99.90"), "RUB")]


def test_malformed_lines_are_named_with_their_column_and_nothing_is_imported(
    sberbank, rules, treasurer
):
    bad = [*SBER_LINES[:2],
           "32.13.2025;105;Кто-то;408;;100,00;пожертвование",
           "17.03.2025;106;Кто-то;408;;abc;пожертвование"]
    with pytest.raises(ValidationError) as caught:
        bank_import.commit(treasurer, sber_file(bad), format="csv", mapping=sberbank)
    assert caught.value.messages == [
        "line 6, column «Дата проводки»: expected a date like 31.12.2025 or 2025-12-31, "
        "found «32.13.2025»",
        "line 7, column «Сумма по кредиту»: expected an amount like 1 234,56, found «abc»",
    ]
    assert not Entry.objects.exists() and not BankImport.objects.exists()


@pytest.mark.parametrize("day", ["14.03.2999", "14.03.1899"])
def test_a_line_dated_outside_the_books_is_named(day, sberbank, treasurer):
    bad = [*SBER_LINES[:2], f"{day};105;Кто-то;408;;100,00;пожертвование"]
    with pytest.raises(ValidationError) as caught:
        bank_import.commit(treasurer, sber_file(bad), format="csv", mapping=sberbank)
    assert caught.value.messages[0].startswith("line 6, column «Дата проводки»: ")
    assert not Entry.objects.exists() and not BankImport.objects.exists()


@pytest.mark.parametrize("day", ["2999-03-14", "1899-03-14"])
def test_a_camt_entry_dated_outside_the_books_is_named(day):
    bad = camt([camt_entry("1.00", "EUR", "CRDT", day, "x", "R")])
    with pytest.raises(ValidationError, match=r"entry 1, field BookgDt: .*(future|too early)"):
        camt053.parse(bad)


def test_a_file_without_the_mapped_columns_says_which_are_missing(sberbank):
    data = "Дата проводки;Сумма по кредиту\n14.03.2025;1\n".encode("cp1251")
    with pytest.raises(ValidationError, match="«Назначение платежа», «Сумма по дебету»"):
        bank_import.read_lines(data, "csv", sberbank)


# -- preview and commit ------------------------------------------------------------------------


def test_the_preview_matches_rules_and_asks_about_the_rest(sberbank, rules, lawyers, general):
    plan = bank_import.preview(sber_file(), format="csv", mapping=sberbank)
    outcomes = [(p.line.line_no, p.decision.outcome, p.decision.fund) for p in plan.lines]
    assert outcomes == [(4, "donation", lawyers), (5, "donation", general),
                        (6, "fee", general), (7, "", None)]
    assert not plan.ready and [p.line.line_no for p in plan.waiting] == [7]
    assert not Entry.objects.exists()


def test_commit_refuses_while_a_line_is_undecided(sberbank, rules, treasurer):
    with pytest.raises(ValidationError, match="line 7: choose what it is"):
        bank_import.commit(treasurer, sber_file(), format="csv", mapping=sberbank)
    assert not Entry.objects.exists()


def test_commit_posts_everything_and_keeps_no_counterparty(
    sberbank, rules, treasurer, general, lawyers
):
    result = bank_import.commit(treasurer, sber_file(), format="csv", mapping=sberbank,
                                choices={7: "skip"})
    batch = result.bank_import
    assert (batch.lines, batch.posted, batch.skipped, batch.duplicates) == (4, 3, 1, 0)
    assert [n for n, _code in result.receipts] == [4, 5]
    assert Donation.objects.count() == 2
    assert FundBalance.objects.get(fund=lawyers, currency_id="RUB").units == 150000
    assert FundBalance.objects.get(fund=general, currency_id="RUB").units == 200050 - 15000
    assert not KeptCounterparty.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ledger_importedline")
        stored = repr(cursor.fetchall())
        cursor.execute("SELECT memo FROM ledger_entry")
        stored += repr(cursor.fetchall())
    assert "Петров" not in stored and "40817810099910004312" not in stored


def test_reimporting_the_same_file_or_an_overlapping_one_posts_nothing_twice(
    sberbank, rules, treasurer
):
    bank_import.commit(treasurer, sber_file(), format="csv", mapping=sberbank,
                       choices={7: "skip"})
    entries = Entry.objects.count()
    again = bank_import.commit(treasurer, sber_file(), format="csv", mapping=sberbank)
    assert again.bank_import.duplicates == 4 and Entry.objects.count() == entries
    # The next statement overlaps on the 15th and 16th and adds one new donation.
    overlapping = [*SBER_LINES[1:], "18.03.2025;107;Орлова;408;;300,00;Пожертвование"]
    later = bank_import.commit(treasurer, sber_file(overlapping), format="csv",
                               mapping=sberbank)
    assert (later.bank_import.duplicates, later.bank_import.posted) == (3, 1)
    assert Entry.objects.count() == entries + 1


def test_two_identical_payments_on_one_day_are_both_posted(sberbank, rules, treasurer):
    twice = [SBER_LINES[1], SBER_LINES[1]]
    result = bank_import.commit(treasurer, sber_file(twice), format="csv", mapping=sberbank)
    assert result.bank_import.posted == 2
    assert bank_import.commit(treasurer, sber_file(twice), format="csv",
                              mapping=sberbank).bank_import.duplicates == 2


def test_the_fingerprint_is_keyed(sberbank, settings):
    lines = bank_import.read_lines(sber_file(), "csv", sberbank)
    first = bank_import.fingerprints(lines, "assets:bank")
    settings.POMPOLIT_IMPORT_FINGERPRINT_KEY = "another key"
    assert bank_import.fingerprints(lines, "assets:bank") != first


def test_a_failure_on_one_line_rolls_back_the_whole_file(sberbank, treasurer, lawyers):
    # A fee charged to the lawyers' fund is outside its purpose: line 6 fails at posting.
    result = bank_import.preview(sber_file(), format="csv", mapping=sberbank,
                                 choices={4: "donation:general", 5: "donation:general",
                                          6: "fee:lawyers", 7: "skip"})
    assert result.ready
    with pytest.raises(ValidationError, match=r"line 6: The fund .* cannot pay for"):
        bank_import.commit(treasurer, sber_file(), format="csv", mapping=sberbank,
                           choices={4: "donation:general", 5: "donation:general",
                                    6: "fee:lawyers", 7: "skip"})
    assert not Entry.objects.exists() and not ImportedLine.objects.exists()


def test_counterparties_are_kept_encrypted_only_when_asked(
    sberbank, rules, treasurer, unsealed_vault
):
    bank_import.commit(treasurer, sber_file(), format="csv", mapping=sberbank,
                       choices={7: "skip"}, keep_counterparties=True)
    kept = KeptCounterparty.objects.get(line__line_no=4)
    assert kept.name == "Петров Пётр Петрович"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, account_number FROM ledger_keptcounterparty")
        assert "Петров" not in repr(cursor.fetchall())


def test_keeping_counterparties_with_a_sealed_vault_imports_nothing(
    sberbank, rules, treasurer, vault_shares
):
    with pytest.raises(ValidationError, match="cannot be kept now"):
        bank_import.commit(treasurer, sber_file(), format="csv", mapping=sberbank,
                           choices={7: "skip"}, keep_counterparties=True)
    assert not Entry.objects.exists()


# -- camt.053 ----------------------------------------------------------------------------------


CAMT = camt([
    camt_entry("250.00", "EUR", "CRDT", "2025-03-14", "Spende / donation", "REF-1"),
    camt_entry("100.00", "USD", "CRDT", "2025-03-15", "donation for lawyers", "REF-2"),
    camt_entry("4.50", "EUR", "DBIT", "2025-03-31", "Kontofuehrung fee", "REF-3",
               name="Bank"),
])


def test_a_camt053_statement_in_eur_and_usd(treasurer, general, lawyers):
    bank_import.add_rule(treasurer, name="lawyers", outcome="donation", fund=lawyers,
                         reference_contains="for lawyers", priority=1)
    bank_import.add_rule(treasurer, name="donation", outcome="donation", fund=general,
                         reference_contains="donation", priority=2)
    bank_import.add_rule(treasurer, name="fee", outcome="fee", fund=general,
                         reference_contains="fee")
    lines = camt053.parse(CAMT)
    assert [(li.amount, li.currency, li.bank_id) for li in lines] == [
        (Decimal("250.00"), "EUR", "REF-1"), (Decimal("100.00"), "USD", "REF-2"),
        (Decimal("-4.50"), "EUR", "REF-3")]
    assert lines[0].counterparty == "Jane Doe"
    result = bank_import.commit(treasurer, CAMT, format="camt053")
    assert result.bank_import.posted == 3
    assert FundBalance.objects.get(fund=general, currency_id="EUR").units == 24550
    assert FundBalance.objects.get(fund=lawyers, currency_id="USD").units == 10000
    assert bank_import.commit(treasurer, CAMT, format="camt053").bank_import.duplicates == 3


def test_a_camt_entry_with_a_bad_amount_is_named():
    bad = camt([camt_entry("1,5x", "EUR", "CRDT", "2025-03-14", "x", "R")])
    with pytest.raises(ValidationError, match=r"entry 1, field Amt: expected an amount"):
        camt053.parse(bad)


BILLION_LAUGHS = """
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>"""
EXTERNAL = """<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"""


@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, EXTERNAL])
def test_hostile_xml_is_refused(doctype, treasurer):
    hostile = camt([camt_entry("1.00", "EUR", "CRDT", "2025-03-14", "&lol3;" if "lol" in
                               doctype else "&xxe;", "R")], doctype=doctype)
    with pytest.raises(ValidationError, match="declares a DTD or entities"):
        bank_import.commit(treasurer, hostile, format="camt053")
    assert not Entry.objects.exists()


def test_not_a_statement_is_refused():
    with pytest.raises(ValidationError, match=r"not a camt\.053"):
        camt053.parse(b"<Document><Other/></Document>")
    with pytest.raises(ValidationError, match="not well-formed"):
        camt053.parse(b"<Document>")


# -- hostile and careless statements (issue 11, items 7 and 8) ---------------------------------


def test_a_quote_never_closed_in_a_statement_is_refused_by_its_line(sberbank):
    lines = [SBER_LINES[0], '15.03.2025;102;"Сидорова Анна;408;;2 000,50;пожертвование',
             *SBER_LINES[2:]]
    with pytest.raises(ValidationError) as caught:
        bank_import.read_lines(sber_file(lines), "csv", sberbank)
    assert caught.value.messages[0].startswith("line 5: a quote (\") opens here")


def test_lines_wider_or_narrower_than_the_header_are_named(sberbank):
    lines = [SBER_LINES[0], "15.03.2025;102;Сидорова Анна;408;;2 000,50;пожертвование;лишнее",
             "15.03.2025;103;ПАО Сбербанк", SBER_LINES[3]]
    with pytest.raises(ValidationError) as caught:
        bank_import.read_lines(sber_file(lines), "csv", sberbank)
    assert caught.value.messages == ["line 5: 8 fields, the header has 7",
                                     "line 6: 3 fields, the header has 7"]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_in_a_statement_names_its_line_and_column(sberbank, char):
    lines = [SBER_LINES[0], f"15.03.2025;102;Сидорова{char}Анна;408;;2 000,50;пожертвование"]
    with pytest.raises(ValidationError) as caught:
        bank_import.read_lines(sber_file(lines), "csv", sberbank)
    (message,) = caught.value.messages
    assert message.startswith("line 5, column «Контрагент»:")
    assert f"U+{ord(char):04X}" in message


def test_a_utf16_statement_is_read(sberbank):
    text = sber_file().decode("cp1251")
    for encoding in ("utf-16", "utf-16-le"):
        lines = bank_import.read_lines(text.encode(encoding), "csv", sberbank)
        assert [li.line_no for li in lines] == [4, 5, 6, 7]


def test_camt053_text_with_a_direction_override_is_refused():
    data = camt([camt_entry("10.00", "EUR", "CRDT", "2025-03-14", "Don\u202eation", "R1")])
    with pytest.raises(ValidationError, match=r"entry 1, field Ustrd: .*U\+202E"):
        camt053.parse(data)


def test_the_trail_keeps_the_statements_digest_and_lines(sberbank, rules, treasurer):
    import hashlib

    from pompolit.audit.models import AuditEntry

    data = sber_file()
    bank_import.commit(treasurer, data, format="csv", mapping=sberbank, choices={7: "skip"})
    details = AuditEntry.objects.get(action="ledger.bank_imported").details
    assert details["file_sha256"] == hashlib.sha256(data).hexdigest() and details["rows"] == 4
