from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompolit.core.http import client_address
from pompolit.members.models import Member
from pompolit.members.policy import MEMBER, current_member, requires
from pompolit.members.roles import Role
from pompolit.vault.errors import VaultError
from pompolit.vault.keys import services
from pompolit.vault.keys.forms import ShareForm
from pompolit.vault.keys.models import Keyholder, VaultState


def _current_keyholders() -> list[Keyholder]:
    state = VaultState.objects.first()
    if state is None:
        return []
    return list(Keyholder.objects.filter(generation=state.generation).select_related("member"))


def _is_keyholder(member: Member) -> bool:
    return any(k.member_id == member.pk for k in _current_keyholders())


@requires(MEMBER)
def vault_status(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    return render(request, "vault/status.html", {
        "status": services.status(),
        "keyholders": _current_keyholders(),
        "is_keyholder": _is_keyholder(member),
        "can_seal": services.may_seal(member),
    })


@requires(MEMBER)
def unseal(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if not _is_keyholder(member):
        messages.error(request, _("Only the vault's keyholders enter shares."))
        return redirect("vault_status")
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.submit_share(
                form.cleaned_data["share"], form.cleaned_data["passphrase"] or None,
                member=member, client=client_address(request),
            )
        except VaultError as error:
            form.add_error(None, str(error))
        else:
            if result.sealed:
                messages.success(request, _(
                    "Share accepted: %(entered)s of %(needed)s. The next keyholder enters theirs."
                ) % {"entered": len(result.entered), "needed": result.threshold})
            else:
                messages.success(request, _("The vault is unsealed."))
            return redirect("vault_status")
    return render(request, "vault/unseal.html", {"form": form, "status": services.status()})


@requires(MEMBER)
@require_POST
def reset_shares(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if _is_keyholder(member) or member.has_role(Role.COORDINATOR):
        services.reset_shares(member)
        messages.success(request, _("The shares entered so far were discarded."))
    return redirect("vault_status")


@requires(MEMBER)
@require_POST
def seal(request: HttpRequest) -> HttpResponse:
    # No second person and no re-authentication: sealing can only take access away, and it
    # must be quick when someone is at the door. Coordinators and keyholders may (the button
    # is in every page's header for them); anyone else is told so.
    member = current_member(request)
    if not services.may_seal(member):
        messages.error(request, _("Only coordinators and keyholders can seal the vault."))
        return redirect("vault_status")
    services.seal(member, client=client_address(request), reason="web")
    messages.success(request, _("The vault is sealed. Keyholders must unseal it again."))
    return redirect("vault_status")
