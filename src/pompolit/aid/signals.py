"""Approved items are re-checked when what they were approved against changes: a facility's
rule (added, or closed by a newer one), or the case — its facility follows its events, its
regime is edited — so an approved item is flagged, never silently invalid."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pompolit.aid import lifecycle, rules
from pompolit.aid.models import AidItem, Status
from pompolit.cases.models import Case, FacilityRule


@receiver(post_save, sender=FacilityRule, dispatch_uid="aid.recheck_on_rule")
def _rule_changed(sender: Any, instance: FacilityRule, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    lifecycle.recheck_approved(
        AidItem.objects.filter(status=Status.APPROVED).filter(
            rules.facility_filter(instance.facility))
    )


@receiver(post_save, sender=Case, dispatch_uid="aid.recheck_on_case")
def _case_changed(sender: Any, instance: Case, created: bool = False, raw: bool = False,
                  **kwargs: Any) -> None:
    if raw or created:  # a new case has no aid yet
        return
    lifecycle.recheck_approved(AidItem.objects.filter(case=instance, status=Status.APPROVED))
