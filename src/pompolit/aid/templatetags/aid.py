from django import template

from pompolit.aid.models import AidItem
from pompolit.aid.services import amount_of

register = template.Library()


@register.filter
def cost(item: AidItem) -> str:
    return str(amount_of(item))
