"""People and their names, with the keys a name search looks up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.cases.partial import PartialDateField, bounds
from pompolit.names.coarse import MARK


class Person(models.Model):
    birth_date = PartialDateField(_("date of birth"), blank=True)
    birth_date_lower = models.DateField(null=True, editable=False)
    # The primary name as shown in lists, kept in step by services.
    display_name = models.CharField(max_length=300, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    classification = dict.fromkeys(
        ["birth_date", "birth_date_lower", "display_name", "created_at"], "internal"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.birth_date_lower = bounds(self.birth_date)[0]
        super().save(*args, **kwargs)


class NameKind(models.TextChoices):
    NAME = "name", pgettext_lazy("of a person", "name")
    ALIAS = "alias", _("other spelling")
    PSEUDONYM = "pseudonym", _("pseudonym or party name")
    FORMER = "former", _("former name")


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(_("kind"), max_length=16, choices=NameKind.choices,
                            default=NameKind.NAME)
    surname = models.CharField(_("surname"), max_length=120, blank=True)
    given = models.CharField(_("given name"), max_length=120, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=120, blank=True)
    is_primary = models.BooleanField(default=False)

    classification = dict.fromkeys(
        ["person", "kind", "surname", "given", "patronymic", "is_primary"], "internal"
    )

    class Meta:
        ordering = ["-is_primary", "pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.surname, self.given, self.patronymic) if p)


class NameKey(models.Model):
    """One search key of one name (`pompolit.names.search_keys`): what a name search looks up."""

    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="keys")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    classification = dict.fromkeys(["name", "person", "key"], "internal")

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="cases_namekey_key")]

    def __str__(self) -> str:
        return self.key


class CoarseKey(models.Model):
    """One distinct coarse key (``~…``) among the stored name keys: what the fuzzy fallback
    scans for keys *near* a query's (with a trigram index on PostgreSQL), a few dozen rows where
    `NameKey` has every person's own copy. Kept in step by whatever writes or removes name keys
    (`add`, `prune`); `rebuild` makes it again from `NameKey`."""

    key = models.CharField(max_length=64, unique=True)

    classification = {"key": "internal"}

    def __str__(self) -> str:
        return self.key

    @classmethod
    def add(cls, keys: Iterable[str]) -> None:
        """Remember the coarse keys among these (the others are skipped); known ones stay."""
        coarse = sorted({key for key in keys if key.startswith(MARK)})
        for start in range(0, len(coarse), 1000):
            CoarseKey.objects.bulk_create(
                [CoarseKey(key=key) for key in coarse[start : start + 1000]],
                ignore_conflicts=True,
            )

    @classmethod
    def prune(cls, keys: Iterable[str]) -> None:
        """Forget those of these keys that no name has any more."""
        coarse = sorted({key for key in keys if key.startswith(MARK)})
        if coarse:
            cls.objects.filter(key__in=coarse).exclude(
                models.Exists(NameKey.objects.filter(key=models.OuterRef("key")))
            ).delete()

    @classmethod
    def rebuild(cls) -> None:
        """Make the table again from the stored name keys (after a bulk load that skipped it)."""
        cls.objects.all().delete()
        cls.add(
            NameKey.objects.filter(key__startswith=MARK)
            .order_by()
            .values_list("key", flat=True)
            .distinct()
            .iterator()
        )
