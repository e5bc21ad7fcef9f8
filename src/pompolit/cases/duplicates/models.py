"""Duplicates: candidate pairs found by the scan, the coordinators' decisions, merges.

A pair is always stored with the smaller person id first (`ordered`), so (a, b) and (b, a) are
one pair. Decisions and merges keep plain ids, not foreign keys: a decision must outlive a
merge (the merged person is gone until the merge is undone, then comes back with the same id),
and a rejected pair must never come back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class Verdict(models.TextChoices):
    SAME = "same", _("the same person")
    DIFFERENT = "different", _("not the same person")
    UNSURE = "unsure", _("unsure")


class DuplicateCandidate(models.Model):
    """A pair the last scan found, with its score and the evidence for it."""

    person_low = models.BigIntegerField()
    person_high = models.BigIntegerField()
    score = models.FloatField()
    # [{"code": "birth_exact", "weight": 0.3, "text": "…"}, …]: why the score is what it is.
    evidence = models.JSONField(default=list)
    # Same full name with a different birth year, or different patronymics: never proposed as
    # the same person by the scan, whatever the score (a human decides).
    conflict = models.BooleanField(default=False)
    found_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["person_low", "person_high", "score", "evidence", "conflict", "found_at"], "internal"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person_low", "person_high"], name="cases_duplicate_candidate_once"
            )
        ]
        indexes = [models.Index(fields=["-score"], name="cases_duplicate_score")]

    def __str__(self) -> str:
        return f"{self.person_low}~{self.person_high} ({self.score:.2f})"


class DuplicateDecision(models.Model):
    """A coordinator's word on a pair; the latest one counts, earlier ones stay as history."""

    person_low = models.BigIntegerField()
    person_high = models.BigIntegerField()
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["person_low", "person_high", "verdict", "decided_by", "decided_at"], "internal"
    )

    class Meta:
        indexes = [
            models.Index(fields=["person_low", "person_high"], name="cases_duplicate_decision_pair")
        ]

    def __str__(self) -> str:
        return f"{self.person_low}~{self.person_high}: {self.verdict}"


class PersonMerge(models.Model):
    """One merge: `merged` went into `survivor`. `snapshot` holds what undoing needs."""

    survivor = models.BigIntegerField()
    merged = models.BigIntegerField()
    # The merged person's fields, its names as they were, the cases moved, the survivor's
    # birth date before and after: see merge.py.
    snapshot = models.JSONField()
    approval = models.ForeignKey(
        "members.ApprovalRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    classification = dict.fromkeys(
        [
            "survivor",
            "merged",
            "snapshot",
            "approval",
            "merged_by",
            "merged_at",
            "undone_by",
            "undone_at",
        ],
        "internal",
    )

    class Meta:
        indexes = [models.Index(fields=["merged"], name="cases_person_merge_merged")]

    def __str__(self) -> str:
        return f"{self.merged} → {self.survivor}"


class PublicIdRedirect(models.Model):
    """A published case of a merged person now answers with the survivor's public page."""

    merge = models.ForeignKey(PersonMerge, on_delete=models.CASCADE, related_name="redirects")
    old_public_id = models.CharField(max_length=16, db_index=True)
    new_public_id = models.CharField(max_length=16)

    classification = dict.fromkeys(["merge", "old_public_id", "new_public_id"], "internal")

    def __str__(self) -> str:
        return f"{self.old_public_id} → {self.new_public_id}"
