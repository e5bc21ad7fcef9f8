from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows import reauthentication
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from pompolit.members import policy
from pompolit.members.models import Compartment


class AccessPolicyMiddleware:
    """Enforces the access each view declares (see pompolit.members.policy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        url_name = match.url_name if match else None
        access = policy.access_for(view_func, url_name)
        if access is None:
            # A view nobody declared is refused rather than guessed at.
            raise PermissionDenied(f"no access declared for URL {url_name!r}")
        if access.stage == policy.Stage.NOBODY:
            raise Http404
        if access.stage == policy.Stage.ANONYMOUS:
            return None
        member = request.user
        stage = policy.stage_of(member)
        if stage == policy.Stage.ANONYMOUS:
            # Properly quoted, so a path holding "?next=…" cannot smuggle in its own target.
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        if stage < access.stage:
            if stage == policy.Stage.PASSWORD:
                return redirect("mfa_activate_totp")
            return redirect("waiting")
        if not policy.has_roles(member, access):  # type: ignore[arg-type]
            raise PermissionDenied("this page needs another role")
        if access.compartment_kwarg:
            slug = view_kwargs.get(access.compartment_kwarg)
            compartment = Compartment.objects.filter(slug=slug).first()
            # Outsiders learn nothing, not even whether the compartment exists.
            if compartment is None or compartment.pk not in member.compartment_ids():  # type: ignore[union-attr]
                raise Http404
            setattr(request, "compartment", compartment)  # noqa: B010 (MemberRequest.compartment)
        if access.sudo and reauthentication.is_reauthentication_required(request, app=""):
            # As allauth does for its own reauthentication_required: the request is kept and
            # replayed once the password has been typed again.
            methods = get_adapter().get_reauthentication_methods(member)
            target = methods[0]["url"] if methods else reverse("account_login")
            response: HttpResponse = reauthentication.suspend_request(request, target)
            return response
        return None
