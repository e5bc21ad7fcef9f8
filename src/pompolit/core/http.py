"""What the service keeps of a client's address: its network, never the address itself.

Members are at risk from the state that jailed the prisoners; a seized trail of the addresses
they logged in from would map them. The audit trail, which is append-only and kept forever,
therefore stores only the network — the /24 of an IPv4 address, the /48 of an IPv6 one — which
is enough to see "40 failed logins from one network" and no more. Rate limits, which need the
exact address for a few minutes, key their cache rows by a keyed hash of it (`address_key`),
never the address. See docs/security.md, "Members' addresses".
"""

import ipaddress

from allauth.core.internal.httpkit import get_client_ip
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

IPV4_PREFIX = 24
IPV6_PREFIX = 48


def _address(request: HttpRequest) -> str:
    # Behind as many proxies as are trusted (ALLAUTH_TRUSTED_PROXY_COUNT), as allauth does.
    try:
        return str(get_client_ip(request) or "")
    except Exception:  # a malformed X-Forwarded-For must not stop an event being recorded
        return str(request.META.get("REMOTE_ADDR", ""))


def network_of(address: str) -> str:
    """"203.0.113.0/24" for 203.0.113.9, "2001:db8:1::/48" for 2001:db8:1:2::7; "" if none."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_address(request: HttpRequest | None) -> str:
    """The client's network, as the audit trail and anything else kept records it."""
    if request is None:
        return ""
    return network_of(_address(request))


def address_key(request: HttpRequest) -> str:
    """A keyed hash of the exact address, for short-lived rate-limit keys: tells two addresses
    apart without storing either (the key is the server's SECRET_KEY, never in the database)."""
    address = _address(request)
    if not address:
        return ""
    return salted_hmac("pompolit.client-address", address, algorithm="sha256").hexdigest()[:32]


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
