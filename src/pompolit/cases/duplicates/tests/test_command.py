"""`pompolit people duplicates`: scans, stores the pairs for review, prints the best."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from pompolit.cases.duplicates.models import DuplicateCandidate
from pompolit.cases.duplicates.testing import person
from pompolit.cases.testing import P


def test_the_command_stores_and_prints_the_pairs_with_their_evidence(db: Any) -> None:
    person("Колесникова", "Мария", "Александровна", birth=P("1982-04-24"))
    person("Kalesnikava", "Maryia", birth=P("1982-04-24"))
    person("Орлов", "Дмитрий", "Сергеевич", birth=P("1985"))
    out = io.StringIO()
    call_command("people", "duplicates", "--show", "5", stdout=out)
    text = out.getvalue()
    assert "Колесникова Мария Александровна" in text and "Kalesnikava Maryia" in text
    assert "the same date of birth: 24 Apr 1982" in text
    assert "1 pair to review among 3 people" in text
    assert DuplicateCandidate.objects.count() == 1
