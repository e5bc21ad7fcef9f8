from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pompolit.core.views import add_errors
from pompolit.members.models import Member
from pompolit.members.policy import COORDINATOR, MEMBER, current_member, requires, sudo
from pompolit.vault.emergency import services
from pompolit.vault.emergency.forms import EmergencyContactForm


@requires(MEMBER)
@require_http_methods(["GET", "POST"])
def my_emergency_contact(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if request.method == "POST":
        form = EmergencyContactForm(request.POST)
        if form.is_valid():
            try:
                services.save(member, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved. Only you and the coordinators can read it."))
                return redirect("my_emergency_contact")
    else:
        found = services.read(member, member)
        initial = {"contact": found.contact, "phone": found.phone} if found else {}
        form = EmergencyContactForm(initial=initial)
    return render(request, "vault/emergency_contact.html", {"form": form})


@requires(sudo(COORDINATOR))
@require_POST
def member_emergency_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """For when a member is detained: shown once per request, and the read is recorded."""
    subject = get_object_or_404(Member, pk=pk)
    found = services.read(current_member(request), subject)
    return render(
        request, "vault/member_emergency_contact.html", {"subject": subject, "found": found}
    )
