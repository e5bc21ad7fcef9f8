"""`field__any_of=ids`: `field IN (ids)`, sent to PostgreSQL as one array parameter.

A long list of ids (a common surname finds thousands of people) written as `IN (%s, %s, …)`
costs more on the client than in the database: Django prepares every value and psycopg scans
the statement for every placeholder. `= ANY(%s)` is the same condition to PostgreSQL's planner
(it reads `IN (…)` that way) with a single parameter. Other databases get the ordinary `IN`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any_of"

    def get_prep_lookup(self) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            return super().get_prep_lookup()
        return [int(value) for value in self.rhs]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if hasattr(self.rhs, "resolve_expression"):
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)


def register() -> None:
    for field in (models.IntegerField, models.ForeignKey):
        field.register_lookup(AnyOf)
