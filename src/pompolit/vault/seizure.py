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
    from pompolit.vault import uploads
    from pompolit.vault.fields import store_blob
    from pompolit.vault.models import EmergencyContact

    member = Member.objects.create_user("Канарейка", "correct horse battery staple")
    EmergencyContact.objects.create(
        member=member,
        contact=canary("vault.EmergencyContact.contact"),
        phone=canary("vault.EmergencyContact.phone", "phone"),
    )
    store_blob(canary("attachment").encode())

    # Members' second factors (allauth's mfa_authenticator.data), sealed by vault/mfa.py.
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import encrypt

    TOTP.activate(member, canary("mfa.Authenticator.data.secret"))
    Authenticator.objects.create(
        user=member, type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": encrypt(canary("mfa.Authenticator.data.seed")), "used_mask": 0},
    )
    # A file waiting to be imported: a list with a relative's phone, and the file's name.
    phone = canary("vault.PendingUpload.body", "phone")
    uploads.keep(member, "seizure", f"Фамилия;Телефон матери\nРемизова;{phone}\n".encode(),
                 state={"name": canary("vault.PendingUpload.state")})

# -- every text box of every form (vault/forms_walk.py) ----------------------------------------

# What a form may store in clear on purpose, by "url name:input name", each with its reason
# (docs/vault.md, "What the seizure test covers"). The walker types a canary there too, so the
# form is sent whole; these canaries are not searched for.
CLEAR: dict[str, str] = {
    # Names of prisoners stay searchable in any spelling: their keys would give them away anyway
    # (docs/security.md, "What a seized name index reveals").
    **{f"{form}:{part}": "a prisoner's name: kept in clear with its search keys"
       for form in ("case_new", "case_name_add") for part in ("surname", "given", "patronymic")},
    # What courts publish: the case is found by its number (cases.Case.case_number_key).
    **{f"{form}:{name}": "court records (court, case number, sentence, who recognised the "
                         "prisoner): public, and the number is searched by its key"
       for form in ("case_new", "case_edit")
       for name in ("court", "case_number", "sentence_term", "recognised_by")},
    **{f"case_charge_add:{name}": "a charge is a law's article and its wording: public text"
       for name in ("code", "article", "text")},
    **{f"case_consent:{name}": "the story exactly as the prisoner or family agreed to publish"
       for name in ("story_ru", "story_en")},
    # Facilities and their rules are public knowledge: letters and parcels are sent there.
    **{f"facility_new:{name}": "a facility's public address and details"
       for name in ("name", "short_name", "region", "city", "street", "postal_code",
                    "letter_service", "notes")},
    **{f"facility_rule_add:{name}": "a facility's published rules"
       for name in ("banned_items", "letter_languages", "source")},
    **{f"{form}:{name}": "the vocabularies' labels (statuses, event types): shown to everyone"
       for form in ("vocabulary_term_new", "vocabulary_term_edit")
       for name in ("term-code", "term-label_en", "term-label_ru")},
    **{f"{form}:name": "a campaign's public name" for form in ("campaign_new", "campaign_edit")},
    **{f"{form}:{name}": "the treasurer's set-up for reading bank statements (a bank's name, "
                         "text to match in a payment's reference): no person's data"
       for form in ("bank_mapping_new", "bank_mapping_edit", "import_rule_new",
                    "import_rule_edit")
       for name in ("name", "reference_contains")},
    # A compartment's name is a label in menus, like its slug; its description is encrypted.
    "compartment_create:name": "a compartment's name: an organisational label shown in menus",
}


def plant_in_forms(canary: Callable[..., str]) -> dict[str, Any]:
    """Load the demo world, then walk every page as each demo member, typing canaries."""
    from pompolit.aid import demo as aid_demo
    from pompolit.cases import demo as cases_demo
    from pompolit.ledger import demo as ledger_demo
    from pompolit.members.management.commands.demo import DEMO_MEMBERS, Command
    from pompolit.members.models import Compartment, Member
    from pompolit.vault import forms_walk

    demo = Command()
    demo.load()
    demo.with_texts()  # the members' free text (encrypted) needs the unsealed vault
    demo.second_factors()  # without one, every page sends the walker to set it up
    worker = Member.objects.get(pseudonym="nikolai")
    cases_demo.load(worker, Compartment.objects.get(slug="orenburg-exiles"))
    ledger_demo.load(Member.objects.get(pseudonym="kaznachei"))
    aid_demo.load(worker)
    walk = forms_walk.Walk()
    for pseudonym, _secret, _roles in DEMO_MEMBERS:
        forms_walk.walk_as(Member.objects.get(pseudonym=pseudonym), canary, walk)
    return {"pages": walk.pages, "sent": walk.sent, "refused": walk.refused}
