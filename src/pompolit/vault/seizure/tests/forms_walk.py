"""The seizure test's form walker: a canary in every text box of every form of every page.

Signed in as each kind of member, it follows the links of the site from the start page, reads
every form that is sent by POST, types a canary into each of its text boxes (input type text,
search, tel, url, email or none; textarea), picks the first choice of each list, and sends it
to the real view. So a field added to any form is covered without touching the test. What it
will not type into, and what it may leave in clear, are lists below — each entry with its
reason (docs/vault.md, "What the seizure test covers").

Run by `plant_in_forms` inside a running deployment (seizure/tests/test_seizure.py); prints
nothing a canary is in.
"""

from __future__ import annotations

import datetime
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

# Dates are today's: the books before the last published statement are closed.
TODAY = datetime.datetime.now(datetime.UTC).date().isoformat()
TEXT_TYPES = {"", "text", "search", "tel", "url", "email"}

# Text boxes that take a structured value, not free text: a valid sample is sent instead of a
# canary. By input name, anywhere.
STRUCTURED: dict[str, tuple[str, str]] = {
    "birth_date": ("1990", "a (partial) date, parsed"),
    "arrest_date": ("2020", "a (partial) date, parsed"),
    "date": (TODAY, "a (partial) date, parsed"),
    "recognised_on": ("2023", "a (partial) date, parsed"),
    "expected_release": ("2031-05", "a (partial) date, parsed"),
    "on": (TODAY, "a date"),
    "planned_on": (TODAY, "a date"),
    "valid_from": (TODAY, "a date"),
    "incurred_on": (TODAY, "a date"),
    "given_on": (TODAY, "a date"),
    "expires_on": ("", "a date"),
    "received_on": (TODAY, "a date"),
    "opened_on": (TODAY, "a date"),
    "starts_on": (TODAY, "a date"),
    "ends_on": ("", "a date"),
    "written_on": (TODAY, "a date"),
    "date_from": ("", "a date: a filter of an export (blank: from the start)"),
    "date_to": ("", "a date: a filter of an export (blank: until today)"),
    "amount": ("1500", "an amount of money"),
    "cost": ("150", "an amount of money"),
    "phone": ("+7 912 345 67 89", "a phone number (normalised for its blind index)"),
    "relative_phone": ("+7 912 345 67 89", "a phone number (normalised for its blind index)"),
    "currency": ("RUB", "a currency code"),
    "money_currency": ("RUB", "a currency code"),
    "country": ("RU", "a country code"),
    "jurisdiction": ("RU", "a country code"),
    "slug": ("canary-", "a web address part (letters, digits, hyphens; made unique)"),
    "mapping_code": ("canary-bank-", "a code: letters, digits, hyphens (made unique: two "
                     "treasurers send the same form)"),
    "case_ref": ("", "an expense's case: a reference the form checks (a number or id), "
                 "not free text"),
    "goal": ("100000", "an amount of money"),
    "col_amount": ("", "a column's name; empty: the demo statements have debit and credit "
                   "columns instead"),
    "col_": ("*", "the name of a column in a bank's statement file (a header, each its own; "
             "any box whose name starts so)"),
    "pseudonym": ("", "set per member (see CLEAR)"),
    "password": ("", "never typed by the walker"),
    "token": ("", "a one-time token"),
    "code": ("canary-code-", "a code (letters, digits, hyphens; made unique): a vocabulary "
             "term's, a campaign's, a law's"),
    "share": ("", "a vault share: never typed by the walker"),
    "passphrase": ("", "a vault share's passphrase"),
    "confirm": ("", "a confirmation word"),
}

# Pages whose forms the walker does not send (by URL name): they would end the walk.
NOT_SENT: dict[str, str] = {
    "letter_campaign_new": "campaigns never overlap: the walk's second send of the same days "
                           "is refused (what it holds is public: names and suggestions shown "
                           "on the letter pages, classified in vault.fields.classification)",
    "letter_campaign_edit": "a campaign's days, names and suggestions (public, classified in "
                            "vault.fields.classification, like a new campaign's); the walk "
                            "leaves its end day empty, which the form refuses",
    "vault_seal": "seals the vault (the \"they are at the door\" button): nothing after it "
                  "could be written",
    "vault_unseal": "takes key shares, not free text",
    "account_logout": "signs the walker out",
    "account_login": "signs in (password)",
    "account_reauthenticate": "asks the password again",
    "mfa_activate_totp": "second factor set-up: codes, not free text",
    "mfa_deactivate_totp": "would remove the walker's second factor",
    "mfa_generate_recovery_codes": "recovery codes: no free text",
    "account_change_password": "a password, never free text",
    "account_set_password": "a password, never free text",
    "mfa_add_webauthn": "registers a security key: no free text",
    "publish_statement": "publishes the books (closes the period; its only box is the "
                         "period, e.g. 2026-10)",
    "donor_forget": "looks a donation up by its number to erase its donor: what is typed is "
                    "a number, not stored",
}


# Buttons not pressed (by "url name:button value"): the form is sent with its other buttons.
NOT_PRESSED: dict[str, str] = {
    "bank_mapping_new:test": "tries the mapping on a statement file (none is uploaded here)",
    "bank_mapping_edit:test": "tries the mapping on a statement file (none is uploaded here)",
}


# What a form may store in clear on purpose, by "url name:input name", each with its reason
# (docs/vault.md, "What the seizure test covers"). The walker types a canary there too, so the
# form is sent whole; these canaries are not searched for.
CLEAR: dict[str, str] = {
    # Names of prisoners stay searchable in any spelling: their keys would give them away anyway
    # (docs/security.md, "What a seized name index reveals").
    **{f"{form}:{part}": "a prisoner's name: kept in clear with its search keys"
       for form in ("case_new", "case_name_add") for part in ("surname", "given", "patronymic")},
    # What courts publish: the case is found by its number (cases.Case.case_number_key).
    **{f"{form}:{name}": "court records (court, case number, sentence, who recognised the "
                         "prisoner): public, and the number is searched by its key"
       for form in ("case_new", "case_edit")
       for name in ("court", "case_number", "sentence_term", "recognised_by")},
    **{f"case_event_add:hearing_{name}": "a court hearing's court, city, hall and judge: public "
                                          "records (a judge is a public official)"
       for name in ("court", "city", "hall", "judge")},
    **{f"case_charge_add:{name}": "a charge is a law's article and its wording: public text"
       for name in ("code", "article", "text")},
    **{f"case_new:charge_{name}": "a charge is a law's article and its wording: public text"
       for name in ("code", "article", "text")},
    **{f"case_new:new_facility_{name}": "a facility's public name and region"
       for name in ("name", "region")},
    **{f"case_consent:{name}": "the story exactly as the prisoner or family agreed to publish"
       for name in ("story_ru", "story_en")},
    "case_consent:interests": "the interests exactly as the prisoner or family agreed to "
                              "publish",
    # Facilities and their rules are public knowledge: letters and parcels are sent there.
    **{f"facility_new:{name}": "a facility's public address and details"
       for name in ("name", "short_name", "region", "city", "street", "postal_code",
                    "letter_service", "notes")},
    **{f"facility_rule_add:{name}": "a facility's published rules"
       for name in ("banned_items", "letter_languages", "source")},
    **{f"{form}:{name}": "the vocabularies' labels (statuses, event types): shown to everyone"
       for form in ("vocabulary_term_new", "vocabulary_term_edit")
       for name in ("term-code", "term-label_en", "term-label_ru")},
    **{f"{form}:name": "a campaign's public name" for form in ("campaign_new", "campaign_edit")},
    "ledger_chart_rename:name": "a fund's or an account's name: published in the statements",
    **{f"{form}:{name}": "the treasurer's set-up for reading bank statements (a bank's name, "
                         "text to match in a payment's reference): no person's data"
       for form in ("bank_mapping_new", "bank_mapping_edit", "import_rule_new",
                    "import_rule_edit")
       for name in ("name", "reference_contains")},
    # A compartment's name is a label in menus, like its slug; its description is encrypted.
    "compartment_create:name": "a compartment's name: an organisational label shown in menus",
}


# What the walker answers on a given form instead of its defaults, each with its reason.
PER_FORM: dict[str, tuple[dict[str, str], str]] = {
    "letter_write": ({"wants_translation": "on", "code": ""},
                     "the canaries are Latin text: a letter in Latin script to a facility whose "
                     "censor reads only Russian asks for a translation, as a writer abroad does; "
                     "and a first letter has no earlier code to follow (the box takes only a "
                     "private code, which a canary is not)"),
}


@dataclass
class Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)
    selected: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            self._form.inputs.append({**a, "type": kind, "tag": tag})
        elif tag == "textarea" and a.get("name"):
            self._textarea = {**a, "type": "textarea", "tag": "textarea"}
            self._form.inputs.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._form.selects[self._select].append(value)
            if "selected" in a:
                self._form.selected[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Walk:
    planted: dict[str, str] = field(default_factory=dict)  # canary label → where
    sent: int = 0
    log: list[str] = field(default_factory=list)  # each form sent: its url name and status
    refused: list[str] = field(default_factory=list)  # url name: fields with errors
    pages: int = 0


# Pages of one shape (/cases/x/3/, /cases/x/4/) are alike: a few of each are read (an aid item
# shows other steps in other states), not all of them.
PER_SHAPE = 4


def _shape(path: str) -> str:
    return re.sub(r"/\d+/", "/N/", path)


def _url_name(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return str(match.view_name)


def _signed_in(member: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="localhost",
                    raise_request_exception=False)
    client.force_login(member)
    session = client.session
    # As if the password was just typed again: the sudo-mode pages are walked too.
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session["account_authentication_methods_user"] = str(member.pk)
    session.save()
    return client


def _structured(name: str) -> str | None:
    value = STRUCTURED[name][0] if name in STRUCTURED else next(
        (name if v == "*" else v for k, (v, _why) in STRUCTURED.items()
         if k.endswith("_") and name.startswith(k)), None)
    if value and value.endswith("-"):
        value += secrets.token_hex(3)
    return value


def _value(box: dict[str, str], where: str, canary: Callable[..., str]) -> str:
    name = box["name"]
    structured = _structured(name)
    if structured is not None:
        return structured
    label = f"form:{where}:{name}"
    value = canary(label)
    limit = int(box.get("maxlength") or 0)
    if limit and len(value) > limit:
        value = canary(label, "short", limit)
    return value


def _data(form: Form, where: str, canary: Callable[..., str]) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    typed = False
    for box in form.inputs:
        kind, name = box["type"], box["name"]
        if box["tag"] == "textarea" or kind in TEXT_TYPES:
            data[name] = _value(box, where, canary)
            typed = typed or _structured(name) is None
        elif kind in ("hidden",) or (kind in ("radio",) and name not in data):
            data[name] = box.get("value", "")
        elif kind == "number":
            data[name] = box.get("value") or box.get("min") or "1"
        elif kind == "date":
            data[name] = TODAY
    for name, options in form.selects.items():
        chosen = form.selected[name] if name in form.selected else next(
            (o for o in options if o), "")
        data[name] = chosen
    if where in PER_FORM:
        data.update(PER_FORM[where][0])
    return data if typed else None


def walk_as(member: Any, canary: Callable[..., str], walk: Walk, *, max_pages: int = 400,
            start: str = "/") -> None:
    client = _signed_in(member)
    seen_pages: set[str] = set()
    seen_forms: set[tuple[str, tuple[str, str], tuple[str, ...]]] = set()
    queue = [start]
    shapes: dict[str, int] = {}
    while queue and len(seen_pages) < max_pages:
        path = queue.pop(0)
        if path in seen_pages or shapes.get(_shape(path), 0) >= PER_SHAPE:
            continue
        seen_pages.add(path)
        shapes[_shape(path)] = shapes.get(_shape(path), 0) + 1
        response = client.get(path, follow=True)
        if response.redirect_chain:
            path = urlsplit(response.redirect_chain[-1][0]).path
            seen_pages.add(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        walk.pages += 1
        parser = PageParser()
        parser.feed(response.content.decode(errors="replace"))
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/static/", "/media/")) or parts.path in seen_pages:
                continue
            queue.append(parts.path)
        for form in parser.forms:
            if form.method != "post":
                continue
            action = urlsplit(form.action).path or path
            where = _url_name(action)
            if not where or where.split(":")[-1] in NOT_SENT:
                continue
            # Each named button is its own action (an aid item's steps): each is pressed once.
            buttons = [(b["name"], b.get("value", "")) for b in form.inputs
                       if b["type"] == "submit" and b.get("name")] or [("", "")]
            for button in buttons:
                if f"{where}:{button[1]}" in NOT_PRESSED:
                    continue
                signature = (where, button,
                             tuple(sorted(box["name"] for box in form.inputs)))
                if signature in seen_forms:
                    continue
                data = _data(form, where, canary)
                if data is None:
                    continue
                if button[0]:
                    data[button[0]] = button[1]
                seen_forms.add(signature)
                _send(client, action, where, form, data, walk)


def _send(client: Any, action: str, where: str, form: Form, data: dict[str, Any],
          walk: Walk, attempts: int = 24) -> None:
    """Send the form; where a choice was refused, try the next one (an event type that fits
    the story, a fund that may pay); where a box of ticks needs one, tick them all; where the
    whole form was refused, choose something in every list left empty (a parcel's lines)."""
    filled = False
    for _attempt in range(attempts):
        posted = client.post(action, data)
        refused = posted.status_code >= 400 or (
            posted.status_code == 200 and _refused(posted.content))
        if not refused:
            walk.sent += 1
            walk.log.append(f"{where} {posted.status_code}")
            return
        errors = [n for n in _errors(posted.content.decode(errors="replace"))
                  if n in form.selects or _ticks(form, n)]
        if not errors and not filled:
            filled = True
            for name, options in form.selects.items():
                if not data.get(name):
                    data[name] = next((o for o in options if o), "")
            continue
        if not errors:
            errors = [n for n in form.selects if len(form.selects[n]) > 1][:1]
        if not errors:
            break
        for name in errors:
            if _ticks(form, name):
                data[name] = _ticks(form, name)
            else:
                options = form.selects[name]
                at = options.index(data[name]) if data.get(name) in options else -1
                data[name] = options[(at + 1) % len(options)]
    walk.refused.append(f"{where} ({posted.status_code}): "
                        + ", ".join(_errors(posted.content.decode(errors="replace"))))


def _ticks(form: Form, name: str) -> list[str]:
    return [box.get("value", "on") for box in form.inputs
            if box["name"] == name and box["type"] == "checkbox"]


def _refused(page: bytes) -> bool:
    return any(mark in page for mark in (b"form-errors", b'class="errors"', b"errorlist"))


def _errors(page: str) -> list[str]:
    """Which fields were refused (their names only: an error never quotes a canary here)."""
    return sorted(set(re.findall(r'id="id_([\w-]+)_error', page))) or ["(the whole form)"]


# -- planting: the demo world, then a walk as each demo member -------------------------------


def plant_in_forms(canary: Callable[..., str]) -> dict[str, Any]:
    """Load the demo world, then walk every page as each demo member, typing canaries."""
    from pompolit.aid import demo as aid_demo
    from pompolit.cases import demo as cases_demo
    from pompolit.ledger import demo as ledger_demo
    from pompolit.letters import demo as letters_demo
    from pompolit.members.management.commands.demo import DEMO_MEMBERS, Command
    from pompolit.members.models import Compartment, Member

    demo = Command()
    demo.load()
    demo.with_texts()  # the members' free text (encrypted) needs the unsealed vault
    demo.second_factors()  # without one, every page sends the walker to set it up
    worker = Member.objects.get(pseudonym="nikolai")
    orenburg = Compartment.objects.get(slug="orenburg-exiles")
    cases_demo.load(worker, orenburg)
    # `lev` is granted his compartments by the hotline's demo, not loaded here: without one a
    # case worker's registry forms have nowhere to save. He walks them in nikolai's.
    from pompolit.members import approvals

    vera, sofia = (Member.objects.get(pseudonym=p) for p in ("vera", "sofia"))
    request = approvals.request_approval(
        sofia, "grant_compartment",
        {"member": Member.objects.get(pseudonym="lev").pk, "compartment": orenburg.pk})
    approvals.approve(request.pk, vera, seen_digest=request.payload_digest)
    ledger_demo.load(Member.objects.get(pseudonym="kaznachei"))
    aid_demo.load(worker)
    letters_demo.load(worker)
    walk = Walk()
    for pseudonym, _secret, _roles in DEMO_MEMBERS:
        walk_as(Member.objects.get(pseudonym=pseudonym), canary, walk)
    return {"pages": walk.pages, "sent": walk.sent, "refused": walk.refused}
