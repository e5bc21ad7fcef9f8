"""Everything that changes the vault's keys: set-up, unsealing, sealing, keyholder changes.

Views and commands call these. Each writes its audit entry (never key material, never a
share) in the same transaction as its change. Re-encrypting the data under new data keys is
`fields.services.rotate_data`.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pompolit.audit.services import record
from pompolit.members.approvals import (
    Fact,
    Section,
    Summary,
    approval_action,
    approval_summary,
    was_carried_out,
)
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.roles import Role
from pompolit.members.services import coordinators, notify
from pompolit.vault import conf, crypto, shares
from pompolit.vault.agent.agent import Agent, Status, make_verifier, parse_share
from pompolit.vault.errors import VaultError
from pompolit.vault.keys.keyring import agent, datakey_ad, ring
from pompolit.vault.keys.models import DataKey, Keyholder, Rotation, VaultState

MIN_THRESHOLD = 2


@dataclass(frozen=True)
class IssuedShare:
    keyholder: str
    index: int
    text: str
    heading: str


def _check_plan(threshold: int, count: int) -> None:
    if count < 2 or count > 255:
        raise ValidationError(_("Name between 2 and 255 keyholders."))
    if not MIN_THRESHOLD <= threshold <= count:
        raise ValidationError(
            _("The number of shares needed must be at least %(min)s and at most the number "
              "of keyholders (%(n)s).") % {"min": MIN_THRESHOLD, "n": count}
        )


def _issue(
    vault_id: uuid.UUID, generation: int, texts: list[str], labels: list[str],
    passphrases: dict[str, str] | None,
) -> list[IssuedShare]:
    issued = []
    for label, text in zip(labels, texts, strict=True):
        share = shares.decode(text)
        passphrase = (passphrases or {}).get(label)
        if passphrase:
            text = shares.encode(share, passphrase)
        issued.append(IssuedShare(
            label, share.index, text,
            shares.label(share, organisation=settings.POMPOLIT_ORGANISATION, keyholder=label),
        ))
    return issued


def _member_or_none(label: str) -> Member | None:
    return Member.objects.filter(pseudonym=label).first()


# -- set-up ------------------------------------------------------------------------------


def initialise(
    *, threshold: int, keyholders: list[str], passphrases: dict[str, str] | None = None,
    demo: bool = False,
) -> list[IssuedShare]:
    """Make the master key, split it, keep only a verifier and the shares' keyed hashes.

    In demo mode the master key is also written to a local file (that is what makes demo
    mode insecure) and the vault unseals itself from it.
    """
    if VaultState.objects.exists():
        raise ValidationError(
            _("The vault is already set up; use `pompolit vault rotate` to change it.")
        )
    if demo and not settings.DEMO_MODE:
        raise ValidationError(_("A demo vault can only be made in demo mode."))
    if len(set(keyholders)) != len(keyholders):
        raise ValidationError(_("Each keyholder may be named only once."))
    _check_plan(threshold, len(keyholders))
    master = crypto.new_key()
    vault_id = uuid.uuid4()
    split = shares.split(master, vault_id=vault_id, generation=1, threshold=threshold,
                         count=len(keyholders))
    with transaction.atomic():
        state = VaultState.objects.create(
            vault_id=vault_id, threshold=threshold, share_count=len(keyholders),
            verifier=base64.b64encode(make_verifier(master, vault_id, 1)).decode(),
        )
        for label, share in zip(keyholders, split, strict=True):
            Keyholder.objects.create(
                generation=1, index=share.index, label=label, member=_member_or_none(label),
                share_digest=shares.digest(share),
            )
        record(
            "vault.initialised", obj=state,
            # How many, not their labels: a label typed at set-up may be a real name.
            details={"threshold": threshold, "keyholders": len(keyholders), "demo": demo},
        )
    if demo:
        path = conf.demo_key_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.b64encode(master).decode(), encoding="ascii")
        path.chmod(0o600)
    current = agent()
    if isinstance(current, Agent) and demo:
        current.unseal_with_master(master)
    return _issue(vault_id, 1, [shares.encode(s) for s in split], keyholders, passphrases)


# -- unsealing and sealing ---------------------------------------------------------------

# Sent when a share has unsealed the vault (`was_sealed`: it was sealed before that share).
# What needs the keys at once is connected by VaultConfig.ready, in this order: second factors
# an older version stored in clear are sealed (`vault.mfa.seal_after_unseal`), then free text an
# upgrade set aside is encrypted (`fields.services.encrypt_after_unseal`).
unsealed = Signal()


def status() -> Status:
    return agent().status()


def is_unsealed() -> bool:
    return ring.is_unsealed()


def keyholder_for_share(text: str, passphrase: str | None) -> Keyholder | None:
    try:
        share = parse_share(text, passphrase)
    except VaultError:
        return None
    return Keyholder.objects.filter(share_digest=shares.digest(share)).first()


def submit_share(
    text: str, passphrase: str | None = None, *, member: Member | None = None,
    client: str = "",
) -> Status:
    """One keyholder's share. With a `member` (the web page), it must be that member's share."""
    if member is not None:
        holder = keyholder_for_share(text, passphrase)
        if holder is not None and holder.member_id != member.pk:
            _refused("share_not_yours", member, client)
            raise VaultError("share_not_yours")
    try:
        before = agent().status()
        result = agent().submit_share(text, passphrase)
    except VaultError as error:
        _refused(error.code, member, client)
        raise
    holder = keyholder_for_share(text, passphrase)
    with transaction.atomic():
        record(
            "vault.share_entered", actor=member, client=client,
            details={"keyholder": holder.index if holder else None,
                     "entered": len(result.entered) if result.sealed else before.threshold,
                     "needed": result.threshold},
        )
        if not result.sealed:
            record("vault.unsealed", actor=member, client=client,
                   details={"generation": result.generation})
    if not result.sealed:
        unsealed.send(sender=VaultState, was_sealed=before.sealed)
    return result


def _refused(code: str, member: Member | None, client: str) -> None:
    with transaction.atomic():
        record("vault.share_refused", actor=member, client=client, details={"reason": code})


def reset_shares(member: Member | None = None) -> Status:
    result = agent().reset_shares()
    record("vault.shares_discarded", actor=member)
    return result


# Why the vault was sealed, as the trail keeps it: a code, never a typed sentence.
SEAL_REASONS = ("web", "emergency", "maintenance", "other")


def is_keyholder(member: Member) -> bool:
    """Whether the member holds a share of the current master key."""
    state = VaultState.objects.first()
    return state is not None and Keyholder.objects.filter(
        generation=state.generation, member=member).exists()


def may_seal(member: Member) -> bool:
    """Coordinators and keyholders may seal the vault: the emergency button on every page."""
    return member.has_role(Role.COORDINATOR) or is_keyholder(member)


def seal(member: Member | None = None, *, client: str = "", reason: str = "other") -> Status:
    """Forget the master key and every data key now: the "they are at the door" button."""
    reason = reason if reason in SEAL_REASONS else "other"
    result = agent().seal()
    ring.forget()
    with transaction.atomic():
        record("vault.sealed", actor=member, client=client, details={"reason": reason})
    return result


# -- keyholder changes and master key rotation (two people) ------------------------------


def _validate_rotation(payload: dict[str, Any]) -> None:
    holders = payload.get("keyholders")
    threshold = payload.get("threshold")
    if not isinstance(holders, list) or not all(
        isinstance(pk, int) and not isinstance(pk, bool) for pk in holders
    ):
        raise ValidationError(_("Keyholders must be a list of member numbers."))
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        raise ValidationError(_("The number of shares needed must be a whole number."))
    if len(set(holders)) != len(holders):
        raise ValidationError(_("Each keyholder may be named only once."))
    found = Member.objects.filter(pk__in=holders, is_active=True).count()
    if found != len(holders):
        raise ValidationError(_("Every keyholder must be an active member."))
    _check_plan(threshold, len(holders))
    if not VaultState.objects.exists():
        raise ValidationError(_("The vault is not set up yet."))


def _describe_rotation(payload: dict[str, Any]) -> str:
    ids = [pk for pk in payload.get("keyholders", []) if isinstance(pk, int)]
    names = sorted(Member.objects.filter(pk__in=ids).values_list("pseudonym", flat=True))
    return _(
        "New vault master key and new shares: %(k)s of %(n)s needed, keyholders %(names)s"
    ) % {"k": payload.get("threshold"), "n": len(ids), "names": ", ".join(names)}


@approval_action("vault_rotate", describe=_describe_rotation, validate=_validate_rotation)
def _authorise_rotation(request: ApprovalRequest) -> None:
    _validate_rotation(request.payload)
    rotation = Rotation.objects.create(
        kind=Rotation.Kind.MASTER, status=Rotation.Status.AUTHORISED, approval=request,
        plan=dict(request.payload),
    )
    record("vault.rotation_authorised", actor=request.decided_by, obj=rotation,
           details={"approval": request.pk, "threshold": request.payload["threshold"],
                    "keyholders": request.payload["keyholders"]})
    for coordinator in coordinators():
        notify(coordinator, "vault_keyholders_approved", approval=request.pk)


def _summarize_rotation(request: ApprovalRequest, viewer: Member) -> Summary:
    ids = [pk for pk in request.payload.get("keyholders", []) if isinstance(pk, int)]
    after = sorted(Member.objects.filter(pk__in=ids).values_list("pseudonym", flat=True))
    facts = [Fact(_("Keyholders after"), ", ".join(after)),
             Fact(_("Shares needed after"), _("%(k)s of %(n)s") % {
                 "k": request.payload.get("threshold"), "n": len(ids)})]
    state = VaultState.objects.first()
    if state is not None:
        now = sorted(Keyholder.objects.filter(generation=state.generation)
                     .values_list("label", flat=True))
        facts[:0] = [Fact(_("Keyholders now"), ", ".join(now)),
                     Fact(_("Shares needed now"), _("%(k)s of %(n)s") % {
                         "k": state.threshold, "n": state.share_count})]
    note = _("Once approved, the keyholders meet to carry it out with `pompolit vault rotate`: "
             "a new master key, new shares for the keyholders after, the old shares useless.")
    return Summary(_describe_rotation(request.payload),
                   [Section(_("Who will hold the keys"), facts, note=note)])


approval_summary("vault_rotate")(_summarize_rotation)


def authorised_rotation(approval_id: int | None = None) -> Rotation:
    pending = Rotation.objects.filter(kind=Rotation.Kind.MASTER, status=Rotation.Status.AUTHORISED)
    if approval_id is not None:
        pending = pending.filter(approval_id=approval_id)
    # A rotation row written into the database by hand, without its stamped approval, is none.
    rotation = next(
        (r for r in pending.select_related("approval").order_by("pk")
         if r.approval is not None and was_carried_out(r.approval)),
        None,
    )
    if rotation is None:
        raise ValidationError(
            _("No approved key rotation is waiting. A coordinator asks for one (\"vault_rotate\") "
              "and a second coordinator approves it first.")
        )
    return rotation


def rotate_master(
    rotation: Rotation,
    *,
    confirm: Callable[[list[IssuedShare]], bool],
    passphrases: dict[str, str] | None = None,
) -> list[IssuedShare]:
    """New master key, data keys re-wrapped, new shares. Needs the vault unsealed.

    Order matters, so that a crash never loses the key: the new shares are shown first;
    only when the operator confirms they were handed out is the database switched to the
    new generation; only then does the agent forget the old key.
    """
    state = VaultState.objects.get()
    holders = _planned_keyholders(rotation)
    keys = list(DataKey.objects.exclude(wrapped=""))
    prepared = agent().rotate_prepare(
        threshold=rotation.plan["threshold"], count=len(holders), rewrap=_rewrap_plan(state, keys)
    )
    labels = [m.pseudonym for m in holders]
    issued = _issue(state.vault_id, state.generation + 1, prepared["shares"], labels, passphrases)
    if not confirm(issued):
        agent().rotate_abort()
        raise ValidationError(
            _("Rotation cancelled: nothing was changed; discard the shares shown.")
        )
    _switch_generation(rotation, prepared, keys, holders, issued)
    agent().rotate_commit()
    ring.forget()
    return issued


def _planned_keyholders(rotation: Rotation) -> list[Member]:
    """The new keyholders, in the order the plan names them (share 1 to the first)."""
    holders = list(Member.objects.filter(pk__in=rotation.plan["keyholders"]))
    holders.sort(key=lambda m: rotation.plan["keyholders"].index(m.pk))
    return holders


def _rewrap_plan(state: VaultState, keys: list[DataKey]) -> list[tuple[bytes, bytes, bytes]]:
    """Each data key as the agent re-wraps it: (wrapped, old associated data, new one)."""
    return [
        (base64.b64decode(k.wrapped),
         datakey_ad(state.vault_id, k.key_id, k.purpose, k.compartment_id),
         datakey_ad(state.vault_id, k.key_id, k.purpose, k.compartment_id))
        for k in keys
    ]


def _switch_generation(
    rotation: Rotation, prepared: dict[str, Any], keys: list[DataKey], holders: list[Member],
    issued: list[IssuedShare],
) -> None:
    """Switch the database to the new generation: its verifier, the data keys re-wrapped, the
    new keyholders; the rotation done, in the trail, and the coordinators told."""
    labels = [m.pseudonym for m in holders]
    with transaction.atomic():
        state = VaultState.objects.select_for_update().get()
        if state.generation + 1 != prepared["generation"]:
            agent().rotate_abort()
            raise ValidationError(_("The vault was rotated meanwhile; discard the shares shown."))
        state.generation = prepared["generation"]
        state.share_count = len(holders)
        state.threshold = rotation.plan["threshold"]
        state.verifier = base64.b64encode(prepared["verifier"]).decode()
        state.rotated_at = timezone.now()
        state.save()
        for key, wrapped in zip(keys, prepared["rewrapped"], strict=True):
            key.wrapped = base64.b64encode(wrapped).decode()
            key.master_generation = state.generation
            key.save(update_fields=["wrapped", "master_generation"])
        for member, digest, share in zip(holders, prepared["digests"], issued, strict=True):
            Keyholder.objects.create(
                generation=state.generation, index=share.index, label=member.pseudonym,
                member=member, share_digest=digest,
            )
        rotation.status = Rotation.Status.DONE
        rotation.started_at = rotation.started_at or timezone.now()
        rotation.finished_at = timezone.now()
        rotation.save()
        record("vault.rotated", obj=rotation,
               details={"generation": state.generation, "threshold": state.threshold,
                        "keyholders": labels})
        for coordinator in coordinators():
            notify(coordinator, "vault_keyholders_changed",
                   keyholders=", ".join(labels), threshold=state.threshold)


# -- notices to coordinators -------------------------------------------------------------

NOTICE_TEXTS = {
    "vault_keyholders_approved": gettext_noop(
        "A change of the vault's keyholders was approved (request #%(approval)s); it takes "
        "effect when it is carried out with `pompolit vault rotate`."
    ),
    "vault_keyholders_changed": gettext_noop(
        "The vault has a new master key. Keyholders now: %(keyholders)s; %(threshold)s shares "
        "are needed to unseal. Old shares no longer work."
    ),
}


def register_notice_texts() -> None:
    from pompolit.members.services import register_notice_texts

    register_notice_texts(NOTICE_TEXTS)
