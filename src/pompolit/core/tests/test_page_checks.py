"""What the screenshot run reads on every page (scripts/page_checks.py): the project's own
English strings left on a Russian page, and codes shown where names belong."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "scripts"))

from page_checks import codes_shown, english_catalogue, untranslated  # noqa: E402

MO = ROOT / "src" / "pompolit" / "locale" / "ru" / "LC_MESSAGES" / "django.mo"


def test_the_catalogue_holds_the_projects_english_strings_but_not_templates_or_the_same_words():
    catalogue = english_catalogue(MO)
    assert "Seal the vault now" in catalogue
    assert "Paid from the fund" in catalogue
    assert not any("%(" in s for s in catalogue)
    assert "" not in catalogue and "No" not in catalogue  # too short to tell


def test_a_russian_page_with_an_english_button_or_sentence_is_caught():
    catalogue = frozenset({"Seal the vault now", "Paid from the fund", "Case worker"})
    texts = ["Опечатать хранилище сейчас", "Case worker", "Оплачено: Paid from the fund, 12 ₽"]
    assert untranslated(texts, catalogue) == ["Case worker", "Paid from the fund"]


def test_latin_names_and_a_translated_page_are_not_caught():
    catalogue = frozenset({"Seal the vault now", "Case worker"})
    assert untranslated(["Chernyshov Aleksei", "Куратор дел", "EUR 1 500,00"], catalogue) == []


def test_account_and_snake_case_codes_are_caught_in_either_language():
    texts = ["Paid from expenses:legal", "via bank_transfer", "Адвокаты", "Lawyers"]
    assert codes_shown(texts, russian=False) == ["bank_transfer", "expenses:legal"]


def test_a_bare_latin_code_on_a_russian_page_is_caught_but_not_a_pseudonym():
    texts = ["general", "vera", "Общий фонд", "Chernyshov", "EUR"]
    assert codes_shown(texts, russian=True, allowed={"vera"}) == ["general"]
    assert codes_shown(texts, russian=False, allowed={"vera"}) == []


def test_a_pseudonym_that_is_also_an_english_word_is_a_name():
    catalogue = frozenset({"auditor", "hotline operator"})
    assert untranslated(["auditor", "Аудитор"], catalogue, allowed={"auditor"}) == []
    assert untranslated(["auditor"], catalogue) == ["auditor"]
