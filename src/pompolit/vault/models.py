"""The vault's models, for Django (app label `vault`); each is defined beside its feature."""

from pompolit.vault.emergency.models import EmergencyContact
from pompolit.vault.fields.pending import PendingPlaintext
from pompolit.vault.keys.models import DataKey, Keyholder, Rotation, VaultState
from pompolit.vault.uploads.models import PendingUpload

__all__ = [
    "DataKey",
    "EmergencyContact",
    "Keyholder",
    "PendingPlaintext",
    "PendingUpload",
    "Rotation",
    "VaultState",
]
