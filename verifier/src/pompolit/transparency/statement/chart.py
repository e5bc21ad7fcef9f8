"""The statement's chart: every account's type, and the codes of accounts and currencies.

A figure's meaning hangs on the type of each account ("expenses" are spent, "balances" are
held), so the type a chart claims must be the one the account's code says."""

from collections.abc import Mapping

from .. import rules
from .problems import Problem

# Account types by the first segment of the account's code; a chart that says otherwise
# would move money between "expenses" and "balances" unseen, so it is refused.
TYPE_BY_PREFIX = {
    "assets": "asset",
    "liabilities": "liability",
    "income": "income",
    "expenses": "expense",
    "net-assets": "net_assets",
    "trading": "net_assets",
}
ACCOUNT_TYPES = frozenset(TYPE_BY_PREFIX.values())
BALANCE_TYPES = frozenset({"asset", "liability"})


def check_chart(accounts: Mapping[str, str], places: Mapping[str, int],
                base_currency: str) -> list[Problem]:
    """Every code of the chart, of the currencies and the base currency from the alphabet
    (rules.check_code); every account's type the one its code says."""
    problems = []
    for kind_of_code, codes in (("account", accounts), ("currency", places)):
        for code in sorted(codes):
            reason = rules.check_code(kind_of_code, code)
            if reason:
                problems.append(Problem("chart", f"the statement's chart: {reason}",
                                        found=code))
    for code, kind in sorted(accounts.items()):
        expected = TYPE_BY_PREFIX.get(code.split(":", 1)[0])
        if kind not in ACCOUNT_TYPES or (expected is not None and kind != expected):
            problems.append(Problem(
                "chart", f"the chart says account {code!r} is of type {kind!r}, but its code "
                f"makes it {expected or 'one of ' + ', '.join(sorted(ACCOUNT_TYPES))!r}",
                expected=expected, found=kind))
    base_problem = rules.check_code("currency", base_currency)
    if base_problem:
        problems.append(Problem("chart", f"the statement's base currency: {base_problem}"))
    return problems
