from django import template

from pompolit.aid.models import AidItem
from pompolit.aid.services import amount_of
from pompolit.aid.vocabulary import CATEGORIES, language_label
from pompolit.ledger.templatetags.money import money

register = template.Library()


@register.filter
def cost(item: AidItem) -> str:
    """The item's cost as the reader's language writes money (Babel)."""
    return money(amount_of(item))


@register.filter
def letter_language(code: str) -> str:
    """A letter's language by name («русский»), not its code ("ru"). Not `language_name`:
    Django's i18n library has a filter of that name (English names), and whichever library a
    template loads last would win."""
    return language_label(code) if code else ""


@register.filter
def category_name(code: str) -> str:
    """A parcel's contents category by name ("food"), not its code."""
    found = CATEGORIES.get(code)
    return found.label if found is not None else code
