"""`{{ days|duration_in_days }}`: a span of days as people say it — "12 days", "5 months",
"104 years" — so that a silence of a century does not read as "38303 days"."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration_in_days(days: int | None) -> str:
    if days is None:
        return ""
    days = int(days)
    if days < 61:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if days < 730:
        months = days * 12 // 365
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    years = days // 365
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
