from allauth.core.internal.httpkit import get_client_ip
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _


def client_address(request: HttpRequest | None) -> str:
    """The client's address for the audit trail, behind as many proxies as are trusted
    (ALLAUTH_TRUSTED_PROXY_COUNT) — the same rule the login rate limits use."""
    if request is None:
        return ""
    try:
        return str(get_client_ip(request) or "")
    except Exception:  # a malformed X-Forwarded-For must not stop an event being recorded
        return str(request.META.get("REMOTE_ADDR", ""))


SEARCH_TEXT = "q"


def search_text_moved(request: HttpRequest) -> HttpResponse | None:
    """Search boxes send what is typed by POST, so names and phone numbers never sit in an
    address (access logs, proxies and browser history keep addresses). A GET that still
    carries the text — an old bookmark, a link — goes to the same page without it, with a word
    on why; the filters without names stay in the address. None for any other request."""
    if request.method != "GET" or SEARCH_TEXT not in request.GET:
        return None
    kept = request.GET.copy()
    del kept[SEARCH_TEXT]
    messages.info(request, _("Searches are no longer kept in page addresses, where server "
                             "logs would keep them. Type your search again."))
    query = kept.urlencode()
    return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
