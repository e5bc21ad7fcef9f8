"""Canaries for the seizure test (tests/test_seizure.py): one per secret field of this app.

Every app with secret fields has a `seizure.py` with `seed(canary)`: it creates rows with
`canary("app.Model.field")` in each secret field (`canary(label, "phone")` gives a phone
number, `canary(label, "date")` an ISO date). The seizure test fails for any secret field
left without a canary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def seed(canary: Callable[..., str]) -> None:
    from pompolit.members.models import Member
    from pompolit.vault.fields import store_blob
    from pompolit.vault.models import EmergencyContact

    member = Member.objects.create_user("Канарейка", "correct horse battery staple")
    EmergencyContact.objects.create(
        member=member,
        contact=canary("vault.EmergencyContact.contact"),
        phone=canary("vault.EmergencyContact.phone", "phone"),
    )
    store_blob(canary("attachment").encode())


# -- every text box of every form (vault/forms_walk.py) ----------------------------------------

# What a form may store in clear on purpose, by "url name:input name", each with its reason
# (docs/vault.md, "What the seizure test covers"). The walker types a canary there too, so the
# form is sent whole; these canaries are not searched for.
CLEAR: dict[str, str] = {
    # Names of prisoners stay searchable in any spelling: their keys would give them away anyway
    # (docs/security.md, "What a seized name index reveals").
    **{f"{form}:{part}": "a prisoner's name: kept in clear with its search keys"
       for form in ("cases:case_new", "cases:case_name_add")
       for part in ("surname", "given", "patronymic")},
}


def plant_in_forms(canary: Callable[..., str]) -> dict[str, Any]:
    """Load the demo world, then walk every page as each demo member, typing canaries."""
    from pompolit.aid import demo as aid_demo
    from pompolit.cases import demo as cases_demo
    from pompolit.ledger.management.commands import demo_ledger
    from pompolit.members.management.commands.demo import DEMO_MEMBERS, Command
    from pompolit.members.models import Compartment, Member
    from pompolit.vault import forms_walk

    Command().load()
    worker = Member.objects.get(pseudonym="nikolai")
    cases_demo.load(worker, Compartment.objects.get(slug="orenburg-exiles"))
    demo_ledger.Command().load(Member.objects.get(pseudonym="kaznachei"))
    aid_demo.load(worker)
    walk = forms_walk.Walk()
    for pseudonym, _secret, _roles in DEMO_MEMBERS:
        forms_walk.walk_as(Member.objects.get(pseudonym=pseudonym), canary, walk)
    return {"pages": walk.pages, "sent": walk.sent, "refused": walk.refused}
