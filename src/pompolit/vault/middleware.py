from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pompolit.vault.errors import VaultSealed
from pompolit.vault.keys.keyring import ring


class SealedMiddleware:
    """Each request looks at the vault afresh; touching a secret while sealed shows a 503 page.

    Pages that never touch an encrypted field (login, public pages) work as usual when sealed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ring.begin()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, VaultSealed):
            return sealed_page(request)
        return None


def sealed_page(request: HttpRequest) -> HttpResponse:
    response = render(request, "vault/sealed.html", status=503)
    response["Retry-After"] = "300"
    return response
