"""What went wrong, in words for a keyholder in a hurry. Codes travel over the agent socket."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    "share_empty": _("No share was entered."),
    "share_mistyped": _(
        "This share is mistyped: its checksum does not match. Check every group and try again."
    ),
    "share_not_a_share": _("This is not a Pompolit key share."),
    "share_other_vault": _(
        "This share belongs to another organisation's vault (vault %(vault)s), not this one."
    ),
    "share_old_generation": _(
        "This share is from key generation %(generation)s, but the keys were rotated since; "
        "use the share you received at the last rotation."
    ),
    "share_unknown": _("This share is not one of the current shares of this vault."),
    "share_duplicate": _(
        "Share number %(index)s was already entered. The next share must come from another "
        "keyholder."
    ),
    "share_needs_passphrase": _("This share is protected by a passphrase; enter it too."),
    "share_wrong_passphrase": _("The passphrase for this share is wrong."),
    "share_not_yours": _(
        "This share belongs to another keyholder; each keyholder enters their own."
    ),
    "combine_failed": _(
        "The shares did not combine into the vault key. All entered shares were discarded; "
        "the vault stays sealed. Start again."
    ),
    "not_initialised": _("The vault has not been set up yet: run `pompolit vault init`."),
    "already_unsealed": _("The vault is already unsealed."),
    "agent_unreachable": _(
        "The key agent does not answer at %(path)s. Is `pompolit vault keyagent` running?"
    ),
    "rotation_pending": _("Another key rotation is in progress in the key agent."),
    "no_rotation": _("There is no key rotation waiting to be committed."),
    "bad_request": _("The key agent did not understand the request."),
}


class VaultError(Exception):
    """An error with a code from MESSAGES; str() is the translated message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        message = MESSAGES.get(self.code)
        return str(message) % self.params if message is not None else self.code


class VaultSealed(VaultError):
    """Secrets were needed, but the vault is sealed: keyholders must unseal it."""

    def __init__(self) -> None:
        super().__init__("sealed")

    def __str__(self) -> str:
        return str(_("The vault is sealed: keyholders must unseal it before secrets can be read."))


class BackupError(Exception):
    """A backup that cannot be written or restored here; the message says why (`backup`)."""
