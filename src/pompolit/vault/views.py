from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pompolit.core.http import client_address
from pompolit.core.views import add_errors
from pompolit.members.models import Member
from pompolit.members.policy import COORDINATOR, MEMBER, current_member, requires, sudo
from pompolit.members.roles import Role
from pompolit.vault import emergency, services
from pompolit.vault.errors import VaultError
from pompolit.vault.forms import ShareForm
from pompolit.vault.forms_emergency import EmergencyContactForm
from pompolit.vault.models import Keyholder, VaultState


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
        "can_seal": member.has_role(Role.COORDINATOR),
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


@requires(COORDINATOR)
@require_POST
def seal(request: HttpRequest) -> HttpResponse:
    # No second person and no re-authentication: sealing can only take access away, and it
    # must be quick when someone is at the door.
    services.seal(current_member(request), client=client_address(request), reason="web")
    messages.success(request, _("The vault is sealed. Keyholders must unseal it again."))
    return redirect("vault_status")


@requires(MEMBER)
@require_http_methods(["GET", "POST"])
def my_emergency_contact(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if request.method == "POST":
        form = EmergencyContactForm(request.POST)
        if form.is_valid():
            try:
                emergency.save(member, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved. Only you and the coordinators can read it."))
                return redirect("my_emergency_contact")
    else:
        found = emergency.read(member, member)
        initial = {"contact": found.contact, "phone": found.phone} if found else {}
        form = EmergencyContactForm(initial=initial)
    return render(request, "vault/emergency_contact.html", {"form": form})


@requires(sudo(COORDINATOR))
@require_POST
def member_emergency_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """For when a member is detained: shown once per request, and the read is recorded."""
    subject = get_object_or_404(Member, pk=pk)
    found = emergency.read(current_member(request), subject)
    return render(
        request, "vault/member_emergency_contact.html", {"subject": subject, "found": found}
    )
