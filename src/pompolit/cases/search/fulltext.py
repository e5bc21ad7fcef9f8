"""Search over the registry's free text — case notes and lawyer, events' place, summary and
source — which is encrypted: through the keyed word index (`pompolit.vault.fields.wordindex`).

`index_case` (called by every service that writes those fields, in the same transaction) keeps
one `CaseWord` row per distinct term of the case's texts: a token keyed by the compartment's
index key, never the word. `case_ids` looks a query up the same way: a case is found when it has
every query word, as a whole word or with another case ending (the stem). Pieces of words are
not found (a prefix index would multiply the rows and what they reveal; docs/vault.md).

Visibility is applied in the same query: the caller passes the compartments the member may see;
the tokens of one compartment mean nothing in another.

`ensure_sqlite_index` (after every `migrate`) puts back the case list's indexes that a SQLite
table rebuild dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from pompolit.vault.fields import wordindex


def texts_of(case: Any) -> list[str]:
    """The free text of a case that search covers (decrypted: needs the vault unsealed)."""
    found = [case.notes, case.lawyer]
    for event in case.events.all():
        found += [event.place, event.summary, event.source]
    return [text for text in found if text]


def index_case(case: Any) -> int:
    """Index the case's free text again, whole; returns the number of tokens kept."""
    from pompolit.cases.models import CaseWord

    terms = wordindex.terms(texts_of(case))
    tokens = wordindex.tokens(wordindex.token_key(case.compartment_id), terms) if terms else set()
    CaseWord.objects.filter(case=case).delete()
    CaseWord.objects.bulk_create([CaseWord(token=t, case=case) for t in sorted(tokens)])
    return len(tokens)


def add_words(cases: Iterable[tuple[int, int, Iterable[str]]]) -> int:
    """Bulk loads (imports, the synthetic registry): index new cases from their texts, given
    as (case id, compartment id, texts), without reading anything back. Returns token rows."""
    keys: dict[int, bytes] = {}
    rows: list[tuple[int, int]] = []
    for case_id, compartment_id, texts in cases:
        if compartment_id not in keys:
            keys[compartment_id] = wordindex.token_key(compartment_id)
        terms = wordindex.terms(texts)
        rows += [(t, case_id) for t in sorted(wordindex.tokens(keys[compartment_id], terms))]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO cases_caseword (token, case_id) VALUES (%s, %s)", rows)
    return len(rows)


def index_cases(cases: Iterable[Any]) -> None:
    for case in cases:
        index_case(case)


def words(text: str) -> list[str]:
    return wordindex.query_terms(text)[:8]


def case_ids(text: str, compartment_ids: Iterable[int], limit: int) -> list[int]:
    """Up to `limit` cases of these compartments whose free text has every word of the text."""
    compartments = sorted(set(compartment_ids))
    terms = words(text)
    if not terms or not compartments:
        return []
    keys = {c: wordindex.token_key(c) for c in compartments}
    groups: list[Sequence[int]] = [
        sorted({wordindex.token(key, term) for key in keys.values()}) for term in terms
    ]
    sql, params = _sql(groups, compartments, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # A case matches each term by one token at most (its compartment's): rows are distinct
        # already; dict.fromkeys only guards against a token collision.
        return list(dict.fromkeys(pk for (pk,) in cursor.fetchall()))


def _sql(groups: list[Sequence[int]], compartments: list[int], limit: int
         ) -> tuple[str, list[Any]]:
    """One join per query word, on (token, case): each step is an index lookup. No DISTINCT:
    with it PostgreSQL walks the whole index in case order to stop at `limit`."""
    def marks(values: Sequence[Any]) -> str:
        return ", ".join(["%s"] * len(values))

    joins = "".join(
        f" JOIN cases_caseword w{i} ON w{i}.case_id = w0.case_id "
        f"AND w{i}.token IN ({marks(group)})"
        for i, group in enumerate(groups) if i
    )
    sql = (f"SELECT w0.case_id FROM cases_caseword w0{joins} "  # noqa: S608
           f"JOIN cases_case c ON c.id = w0.case_id "
           f"WHERE w0.token IN ({marks(groups[0])}) "
           f"AND c.compartment_id IN ({marks(compartments)}) LIMIT %s")
    params: list[Any] = [v for group in groups[1:] for v in group]
    params += [*groups[0], *compartments, limit]
    return sql, params


# The case list's orderings and filters (migrations 0010–0012). Not in the models' Meta: a SQLite
# table rebuild drops them, and `ensure_sqlite_index` makes them again.
LIST_INDEXES = {
    "cases_case_priority": "cases_case (priority, compartment_id)",
    "cases_case_status_priority": "cases_case (status_id, priority)",
    "cases_case_opened_on": "cases_case (opened_on, id)",
    "cases_case_last_contact_on": "cases_case (last_contact_on, id)",
    "cases_person_display_name": "cases_person (display_name)",
    "cases_case_status_opened_on": "cases_case (status_id, opened_on, id)",
    "cases_case_status_last_contact_on": "cases_case (status_id, last_contact_on, id)",
}


def ensure_sqlite_index(using: str = "default", **_kwargs: Any) -> None:
    """After `migrate`: the list indexes exist (a migration that rebuilt cases_case dropped
    them)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        indexes = {row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        tables = {row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        for name, columns in LIST_INDEXES.items():
            if name not in indexes and columns.split()[0] in tables:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")
                cursor.execute(f"ANALYZE {name}")  # without statistics the planner ignores it


def index_after_pending(sender: Any, pks: Sequence[Any], **_kwargs: Any) -> None:
    """After the first unseal encrypted text an upgrade had set aside: index those cases."""
    from pompolit.cases.models import Case, Event

    if sender is Case:
        index_cases(Case.objects.filter(pk__in=pks))
    elif sender is Event:
        case_ids = Event.objects.filter(pk__in=pks).values("case_id")
        index_cases(Case.objects.filter(pk__in=case_ids))


def index_all(*_args: Any, batch_size: int = 500, **_kwargs: Any) -> int:
    """Index every case again (after `rotate --data` changed the index keys). Returns cases."""
    from django.db import transaction

    from pompolit.cases.models import Case
    from pompolit.vault.keys.keyring import ring

    done, last = 0, 0
    while True:
        ring.begin()
        batch = list(Case.objects.filter(pk__gt=last).order_by("pk")
                     .prefetch_related("events")[:batch_size])
        if not batch:
            return done
        with transaction.atomic():
            index_cases(batch)
        done, last = done + len(batch), batch[-1].pk
