"""A campaign: a named drive for money, with an optional goal, whose donations name it (its code
is published in their leaves). Its progress is computed from the books (services.progress)."""

from __future__ import annotations

from django.db import models
from django.db.models import CheckConstraint, Q

from pompolit.ledger.models.books import (
    CODE_PATTERN,
    Currency,
    code_check,
    code_validator,
)
from pompolit.ledger.money import MAX_UNITS


class Campaign(models.Model):
    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    goal_units = models.BigIntegerField(null=True, blank=True)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    foreign_chapter = models.BooleanField(default=False)

    classification = dict.fromkeys(
        ["code", "name", "goal_units", "currency", "starts_on", "ends_on", "foreign_chapter"],
        "public",
    )

    class Meta:
        ordering = ["-starts_on", "code"]
        constraints = [
            code_check("code", CODE_PATTERN, "ledger_campaign_code_ascii"),
            CheckConstraint(condition=Q(goal_units__isnull=True)
                            | Q(goal_units__gte=0, goal_units__lte=MAX_UNITS),
                            name="ledger_campaign_goal_bounded"),
        ]

    def __str__(self) -> str:
        return self.name
