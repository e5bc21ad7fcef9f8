"""Every page as a browser gets it: both languages, headers, no third parties, forms keep input."""

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from pompolit.members import approvals, services
from pompolit.members.models import ApprovalRequest, Member
from pompolit.members.testing import PASSWORD, TOTP_SECRET

# Namespace names in SVG and XML are identifiers, never fetched.
HARMLESS_URLS = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
URL = re.compile(r"""https?://[^\s"'<>()\\]+""")


def totp_code(secret: str = TOTP_SECRET) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


@pytest.fixture(autouse=True)
def fresh_cache(db: Any) -> Iterator[None]:
    # Used TOTP codes and rate limits live in the cache: every test starts clean.
    cache.clear()
    yield
    cache.clear()


def signed_in(member: Member, language: str = "ru") -> Client:
    """A client that went through the real sign-in: password, then the TOTP code."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/accounts/login/", {"login": member.pseudonym, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    if response["Location"].startswith("/accounts/2fa/authenticate/"):
        response = client.post(response["Location"], {"code": totp_code()})
        assert response.status_code == 302, response.content[:300]
    return client


def anonymous(language: str = "ru") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def world(
    founders: tuple[Member, Member],
    make_member: Callable[..., Member],
    compartment: Any,
    approved: Callable[..., Any],
) -> dict[str, Any]:
    vera, sofia = founders
    approved("grant_compartment", {"member": vera.pk, "compartment": compartment.pk})
    nikolai = make_member("Николай Морозов", "case_worker", compartments=[compartment])
    _invitation, token = services.create_invitation(vera, note="от Николая")
    newcomer = services.accept_invitation(token, pseudonym="Аня Самарская", password=PASSWORD)
    TOTP.activate(newcomer, TOTP_SECRET)
    pending = approvals.request_approval(
        sofia, "grant_role", {"member": nikolai.pk, "role": "hotline_operator"},
        reason="Горячая линия во время задержаний",
    )
    _invitation, open_token = services.create_invitation(vera, note="для Веры Засулич")
    return {
        "vera": vera, "sofia": sofia, "nikolai": nikolai, "newcomer": newcomer,
        "compartment": compartment, "pending": pending, "open_token": open_token,
    }


def coordinator_pages(w: dict[str, Any]) -> list[str]:
    return [
        "/dashboard/",
        "/members/",
        f"/members/{w['nikolai'].pk}/",
        "/invite/",
        "/vouch/",
        "/approvals/",
        f"/approvals/{w['pending'].pk}/",
        "/compartments/",
        f"/compartments/{w['compartment'].slug}/",
        "/activity/",
        "/rules/",
        "/audit/",
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/generate/",
    ]


def all_rendered_pages(w: dict[str, Any], language: str) -> Iterator[tuple[str, Any]]:
    """Every page a visitor can reach, as (url, response), in one language."""
    client = anonymous(language)
    for url in ("/accounts/login/", f"/join/{w['open_token']}/", "/join/no-such-token/"):
        yield url, client.get(url)
    client.post("/accounts/login/", {"login": w["vera"].pseudonym, "password": PASSWORD})
    yield "/accounts/2fa/authenticate/", client.get("/accounts/2fa/authenticate/")
    waiting = signed_in(w["newcomer"], language)
    yield "/waiting/", waiting.get("/waiting/")
    vera = signed_in(w["vera"], language)
    for url in coordinator_pages(w):
        yield url, vera.get(url)


def without_password_only(member: Member) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=member).delete()


ENGLISH_MARKERS = ("Approvals", "Sign in", "Sign out", "Waiting for vouches", "Second factor")
RUSSIAN_MARKERS = ("Согласования", "Войти", "Выйти", "Ожидание поручительств", "Второй фактор")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_page_renders_in_the_chosen_language(world: dict[str, Any], language: str) -> None:
    for url, response in all_rendered_pages(world, language):
        expected = 404 if url == "/join/no-such-token/" else 200
        assert response.status_code == expected, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        assert 'class="skip-link"' in html, f"{url} is not in Pompolit's layout"
        foreign = ENGLISH_MARKERS if language == "ru" else RUSSIAN_MARKERS
        leaked = [word for word in foreign if f">{word}<" in html]
        assert not leaked, f"{url} in {language} shows {leaked}"


def test_russian_pages_use_the_groups_words(world: dict[str, Any]) -> None:
    vera = signed_in(world["vera"], "ru")
    html = vera.get("/members/").content.decode()
    assert "Участники" in html and "куратор дел" in html and "координатор" in html
    detail = vera.get(f"/approvals/{world['pending'].pk}/").content.decode()
    assert "Одобрить и выполнить" in detail
    assert "Что именно будет выполнено" in detail


def test_the_approver_sees_the_summary_the_exact_payload_and_its_fingerprint(
    world: dict[str, Any],
) -> None:
    pending: ApprovalRequest = world["pending"]
    html = signed_in(world["vera"], "en").get(f"/approvals/{pending.pk}/").content.decode()
    assert approvals.describe(pending) in html
    assert pending.payload_digest in html
    assert "grant_role" in html and "hotline_operator" in html
    assert f'name="digest" value="{pending.payload_digest}"' in html
    # The decision swaps the page body with htmx and still works as a plain form post.
    assert 'hx-post="/approvals/' in html and 'method="post"' in html


def test_the_language_switch_keeps_the_current_page(world: dict[str, Any]) -> None:
    client = signed_in(world["vera"], "ru")
    page = f"/approvals/{world['pending'].pk}/"
    assert "Ваше решение" in client.get(page).content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).content.decode()
    assert '<html lang="en">' in html and "Your decision" in html
    assert f'name="next" type="hidden" value="{page}"' in html


def test_language_switch_works_for_anonymous_visitors_on_the_login_page(db: Any) -> None:
    client = anonymous("ru")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert ">Sign in<" in client.get("/accounts/login/").content.decode()


def test_authenticated_pages_are_never_cached(world: dict[str, Any]) -> None:
    for url, response in all_rendered_pages(world, "en"):
        if url.startswith(("/accounts/login/", "/join/")):
            continue
        assert "no-store" in response.get("Cache-Control", ""), url


def test_every_page_carries_a_strict_content_security_policy(world: dict[str, Any]) -> None:
    for url, response in all_rendered_pages(world, "ru"):
        policy = response.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def test_pages_hold_no_inline_code_or_styles_the_policy_would_block(world: dict[str, Any]) -> None:
    for url, response in all_rendered_pages(world, "ru"):
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), f"inline style attribute on {url}"
        assert "<style" not in html, f"<style> element on {url}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"
        for script in re.findall(r"<script\b[^>]*>", html):
            # Only external scripts from this server, or JSON data (never executed).
            assert "src=" in script or 'type="application/json"' in script, (url, script)
        assert "htmx.min.js" in html, url
        assert '"includeIndicatorStyles": false' in html, url


def test_pages_name_no_other_site(world: dict[str, Any]) -> None:
    for url, response in all_rendered_pages(world, "ru"):
        html = response.content.decode()
        found = set(URL.findall(html)) - HARMLESS_URLS
        # The only absolute URL a page shows is an invitation link to this very server.
        assert all(u.startswith("http://testserver/") for u in found), (url, found)


def served_static_files() -> Iterator[tuple[str, Path]]:
    for finder in finders.get_finders():
        for path, storage in finder.list(["*.map"]):
            yield path, Path(storage.path(path))


def test_static_files_name_no_other_site() -> None:
    checked = 0
    for name, path in served_static_files():
        if path.suffix not in {".js", ".css", ".svg", ".html", ".txt"}:
            continue
        checked += 1
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lstrip().startswith(("//", "/*", "*")):
                continue  # a comment crediting an upstream project is never fetched
            found = set(URL.findall(line)) - HARMLESS_URLS
            assert not found, f"{name} names {found}"
    assert checked >= 4


def test_vendored_htmx_is_present_and_documented() -> None:
    htmx = finders.find("pompolit/htmx.min.js")
    assert htmx, "htmx.min.js must be vendored into pompolit/core/static/pompolit/"
    readme = Path(str(htmx)).with_name("README.md").read_text(encoding="utf-8")
    assert "htmx 2.0.11" in readme and "0BSD" in readme


def test_sign_in_page_offers_no_sign_up_reset_or_email(db: Any) -> None:
    html = anonymous("en").get("/accounts/login/").content.decode()
    for gone in ("/accounts/signup/", "/accounts/password/reset/", "/accounts/email/"):
        assert gone not in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html


def test_sign_in_keeps_the_pseudonym_after_a_wrong_password(world: dict[str, Any]) -> None:
    response = anonymous("ru").post(
        "/accounts/login/", {"login": world["vera"].pseudonym, "password": "не тот пароль"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{world["vera"].pseudonym}"' in html
    assert 'role="alert"' in html
    assert 'value="не тот пароль"' not in html  # a password is never sent back


def test_join_form_keeps_input_and_ties_errors_to_fields(world: dict[str, Any]) -> None:
    response = anonymous("ru").post(
        f"/join/{world['open_token']}/",
        {"pseudonym": "Вера Засулич", "password1": "долгий-пароль-2026", "password2": "другой"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Вера Засулич"' in html
    assert 'id="id_password2_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_password2_error"[^>]*>', html) or re.search(
        r'<input[^>]*id="id_password2"[^>]*aria-invalid="true"', html
    )
    assert "Пароли не совпадают." in html
    assert '<label for="id_pseudonym">' in html


def test_compartment_form_keeps_input_on_error(world: dict[str, Any]) -> None:
    client = signed_in(world["vera"], "en")
    response = client.post(
        "/compartments/new/",
        {"name": "Пермская ссылка", "slug": "not a slug!", "description": "Ссыльные в Перми"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Пермская ссылка"' in html and "Ссыльные в Перми" in html
    assert 'id="id_slug_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_slug_error[^"]*"', html)


def test_invitation_link_is_shown_once_with_a_warning(world: dict[str, Any]) -> None:
    client = signed_in(world["vera"], "en")
    html = client.post("/invite/", {"note": "через Софью"}).content.decode()
    link = re.search(r'id="invite-link">(http://testserver/join/[^<]+)</code>', html)
    assert link, "the new invitation link must be shown"
    assert "shown only this once" in html and 'data-copy="invite-link"' in html
    assert link.group(1) not in client.get("/invite/").content.decode()


def test_totp_setup_shows_the_qr_code_inline_and_the_key(world: dict[str, Any]) -> None:
    member = world["newcomer"]
    without_password_only(member)
    client = anonymous("en")
    client.post("/accounts/login/", {"login": member.pseudonym, "password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<img src="data:image/svg+xml;base64,' in html
    assert 'id="authenticator_secret"' in html and "Set up your second factor" in html


def test_vouch_button_swaps_the_table_with_htmx_and_falls_back_to_a_post(
    world: dict[str, Any],
) -> None:
    client = signed_in(world["vera"], "ru")
    html = client.get("/vouch/").content.decode()
    assert 'hx-target="#vouch-area"' in html and 'method="post"' in html
    response = client.post(
        "/vouch/", {"member": world["newcomer"].pk}, HTTP_HX_REQUEST="true", follow=True
    )
    page = response.content.decode()
    assert 'id="vouch-area"' in page and 'id="messages"' in page
    assert "Вы поручились" in page


def msgstrs(entry: str) -> list[str]:
    """The translations in one .po entry (one per plural form), continuation lines joined."""
    found: list[str] = []
    for line in entry.splitlines():
        if line.startswith("msgstr"):
            found.append(line.split(" ", 1)[1].strip('"'))
        elif line.startswith('"') and found:
            found[-1] += line.strip('"')
    return found


def test_russian_catalogue_is_complete_and_compiled() -> None:
    po = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES" / "django.po"
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]  # the first is the header
    assert len(entries) > 300
    for entry in entries:
        if "\nmsgid " not in "\n" + entry:
            continue
        assert "#, fuzzy" not in entry, f"a guessed translation was never reviewed:\n{entry}"
        assert all(msgstrs(entry)), f"untranslated:\n{entry}"
    assert po.with_suffix(".mo").exists(), "run `make messages`"
    with translation.override("ru"):
        assert gettext("Approvals") == "Согласования"
        assert ngettext("So far %(count)s member has vouched for you.",
                        "So far %(count)s members have vouched for you.", 3) % {"count": 3} == (
            "Пока за вас поручились 3 участника."
        )
