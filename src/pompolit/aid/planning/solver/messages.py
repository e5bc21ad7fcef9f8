"""The planner's reasons: English templates marked for translation, filled in by the Django
side in the reader's language (`planning.services.explain`)."""

from decimal import Decimal

from pompolit.aid.planning.solver.types import gettext_noop

M_ALL = gettext_noop("%(item)s: all %(quantity)s asked for.")
M_NOTHING_ASKED = gettext_noop("Nothing is asked for this month.")
M_PARCELS_LEFT = gettext_noop(
    "%(item)s: %(facility)s allows %(left)s more parcel(s) in this period "
    "(%(allowed)s per %(months)s months); %(asked)s asked for."
)
M_PARCELS_LEFT_SHORT = gettext_noop(
    "%(item)s: %(facility)s allows %(left)s more parcel(s) in this period; "
    "%(asked)s asked for."
)
M_TOO_HEAVY = gettext_noop(
    "%(item)s weighs %(kg)s kg; %(facility)s accepts at most %(max_kg)s kg per parcel."
)
M_MONEY_LEFT = gettext_noop(
    "%(item)s: the facility's money limit leaves %(left)s %(currency)s this period."
)
M_MONEY_CURRENCY = gettext_noop(
    "%(item)s: the facility's money limit is set in %(limit_currency)s, "
    "this transfer is in %(currency)s."
)
M_NO_FUND = gettext_noop("%(item)s: no fund in the budget may pay for it.")
M_FUNDS_SPENT = gettext_noop(
    "%(item)s: %(given)s of %(wanted)s; the plan has no more room in the funds that may pay "
    "for it (%(left)s %(currency)s left unplanned in them; one more costs %(cost)s, and no "
    "item's cost is split between funds)."
)
M_SHARED = gettext_noop(
    "%(item)s: %(given)s of %(wanted)s; the money went to others under the fairness rule."
)
M_COVERAGE = gettext_noop(
    "Gets %(coverage)s%% of what they need and may receive; the fair minimum for them is "
    "%(floor)s%% (fairness level %(level)s%% × weight %(weight)s: priority %(priority)s, "
    "%(days)s days since the last aid)."
)
M_COVERAGE_NEVER = gettext_noop(
    "Gets %(coverage)s%% of what they need and may receive; the fair minimum for them is "
    "%(floor)s%% (fairness level %(level)s%% × weight %(weight)s: priority %(priority)s, "
    "never aided)."
)
M_AT_FLOOR = gettext_noop(
    "At the fair minimum: the money does not reach further without taking from someone "
    "with a smaller share."
)


def kg_text(grams: int) -> str:
    text = f"{Decimal(grams) / 1000:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_text(amount: Decimal) -> str:
    return f"{amount:.2f}"
