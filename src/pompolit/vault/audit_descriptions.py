"""How the trail says what happened to the vault (audit/descriptions.py): in the reader's
language, from what each entry keeps — counts, generations, the keyholders' pseudonyms and
the reason codes, by their labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pompolit.audit.descriptions import describe_as, label
from pompolit.audit.models import AuditEntry
from pompolit.members.models import Compartment

SEAL_REASONS = [
    ("web", gettext_lazy("the button")),
    ("emergency", gettext_lazy("an emergency")),
    ("maintenance", gettext_lazy("maintenance")),
    ("other", gettext_lazy("another reason")),
]


def _key_for(entry: AuditEntry) -> dict[str, str]:
    pk = entry.details.get("compartment")
    if pk is None:
        return {"scope": str(gettext_lazy("the whole group"))}
    name = Compartment.objects.filter(pk=pk).values_list("name", flat=True).first()
    return {"scope": str(gettext_lazy("the compartment %(name)s") % {"name": name or pk})}


describe_as(
    "vault.initialised",
    gettext_lazy("Set up the vault: %(threshold)s of %(keyholders)s keyholders needed to unseal"),
)
describe_as("vault.unsealed", gettext_lazy("Unsealed the vault"))
describe_as(
    "vault.sealed",
    gettext_lazy("Sealed the vault (%(reason)s)"),
    lambda entry: {"reason": label(SEAL_REASONS, entry.details.get("reason"))},
)
describe_as(
    "vault.share_entered",
    gettext_lazy("Entered key share %(keyholder)s: %(entered)s of %(needed)s"),
)
describe_as("vault.share_refused", gettext_lazy("A key share was refused"))
describe_as("vault.shares_discarded", gettext_lazy("Discarded the key shares entered so far"))
describe_as(
    "vault.rotation_authorised",
    gettext_lazy(
        "A new master key was approved (request #%(approval)s): %(threshold)s shares needed"
    ),
)
describe_as(
    "vault.rotated",
    gettext_lazy(
        "The vault has a new master key: %(threshold)s shares needed; keyholders: %(keyholders)s"
    ),
)
describe_as("vault.key_created", gettext_lazy("Created a data key for %(scope)s"), _key_for)
describe_as(
    "vault.data_rotation_started",
    gettext_lazy("Began re-encrypting the data with new keys; keys to retire: %(keys)s"),
)
describe_as(
    "vault.data_rotated",
    gettext_lazy("Re-encrypted the data with new keys; keys retired: %(keys_retired)s"),
)
describe_as(
    "vault.pending_encrypted", gettext_lazy("Encrypted what was entered while the vault was sealed")
)
describe_as(
    "vault.second_factors_sealed",
    gettext_lazy("Sealed the members' second factors: %(authenticators)s"),
)
describe_as("emergency_contact.saved", gettext_lazy("Saved an emergency contact, encrypted"))
describe_as("emergency_contact.forgotten", gettext_lazy("Deleted an emergency contact"))
