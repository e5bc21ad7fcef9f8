"""What a parcel may hold, by category — the words facilities' rules ban things by.

`FacilityRule.banned_items` is a list of the facility's own words ("алкоголь", "сим-карты").
A banned word matches a category when it is the category's code or one of its names in any
language, compared without case ("Алкоголь" = "alcohol" = "алкоголь"). Case workers typing a
rule should use these names; `banned_categories` tells which of a rule's words it understood.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    code: str
    label_en: Promise
    # The Russian names a rule may use (the first is the label), beside the code and English.
    names_ru: tuple[str, ...]

    @property
    def label(self) -> str:
        if translation.get_language() == "ru":
            return self.names_ru[0]
        return str(self.label_en)

    def words(self) -> set[str]:
        return {self.code, str(self.label_en).casefold(),
                *(name.casefold() for name in self.names_ru)}


CATEGORIES: dict[str, Category] = {c.code: c for c in (
    Category("food", _("food"), ("продукты питания", "продукты", "еда")),
    Category("homemade-food", _("home-made food"),
             ("продукты домашнего приготовления", "домашняя еда")),
    Category("vegetables", _("vegetables and fruit"), ("овощи и фрукты", "овощи", "фрукты")),
    Category("tea-coffee", _("tea and coffee"), ("чай и кофе", "чай", "кофе")),
    Category("tobacco", _("tobacco"), ("табак", "сигареты")),
    Category("alcohol", _("alcohol"), ("алкоголь", "спиртное")),
    Category("hygiene", _("soap and hygiene"), ("средства гигиены", "мыло", "гигиена")),
    Category("clothing", _("clothing and footwear"), ("одежда и обувь", "одежда", "обувь")),
    Category("medicines", _("medicines"), ("лекарства", "медикаменты")),
    Category("books", _("books and printed matter"), ("книги", "печатные издания")),
    Category("stationery", _("paper, envelopes, stamps"),
             ("канцтовары", "бумага", "конверты", "марки")),
    Category("sim-cards", _("SIM cards and phones"),
             ("сим-карты", "сим-карта", "телефоны", "средства связи")),
    Category("money", _("cash"), ("наличные деньги", "деньги", "наличные")),
    Category("other", _("other"), ("другое",)),
)}


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in CATEGORIES.values()]


def banned_categories(banned_items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """The categories a rule's banned words name: category code → the rule's own word."""
    found: dict[str, str] = {}
    for word in banned_items:
        folded = str(word).strip().casefold()
        for category in CATEGORIES.values():
            if folded in category.words():
                found.setdefault(category.code, str(word).strip())
    return found


LANGUAGES: dict[str, Promise] = {
    "ru": _("Russian"), "en": _("English"), "uk": _("Ukrainian"), "be": _("Belarusian"),
    "kk": _("Kazakh"), "tt": _("Tatar"), "de": _("German"), "fr": _("French"),
    "he": _("Hebrew"), "ka": _("Georgian"), "hy": _("Armenian"), "yi": _("Yiddish"),
}


def language_label(code: str) -> str:
    return str(LANGUAGES.get(code, code))
