"""The bot's questions, one at a time: the public form's, in the same order.

`respond` takes what is known so far (`State`, or None for a new chat) and one message, and
gives back the new state (None: forget the conversation) and the replies to send. It knows
nothing of Telegram's wire format or of the database: `bot.services` does both.

Every text goes through gettext; the caller activates the person's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.cases.partial import PartialDate
from pompolit.intake.bot import public
from pompolit.intake.models import Channel, Reporter

LANGUAGES = ("ru", "en")
NEEDS = ("water", "food", "medicine", "charger", "warm_clothes")
TEXT_MAX = 200
NOTE_MAX = 2000


@dataclass(frozen=True)
class Incoming:
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Reply:
    text: str
    # Rows of buttons that type their label; `location` asks Telegram for the person's place.
    buttons: tuple[tuple[str, ...], ...] = ()
    location: str = ""


@dataclass(frozen=True)
class State:
    step: str
    language: str
    answers: dict[str, Any] = field(default_factory=dict)


def language_of(code: str | None) -> str:
    """Russian for the Russian-speaking (and Ukrainian, Belarusian, Kazakh) Telegram clients,
    English for the rest."""
    code = (code or "").lower()
    return "ru" if code[:2] in ("ru", "uk", "be", "kk") else "en"


# -- the buttons, in the person's language -----------------------------------------------------


def _skip() -> str:
    return _("Skip")


def _yes() -> str:
    return _("Yes")


def _no() -> str:
    return _("No")


def _unknown() -> str:
    return _("Don't know")


def _done() -> str:
    return _("Done")


def _send() -> str:
    return _("Send the report now")


def _again() -> str:
    return _("Start again")


def _reporters() -> dict[str, str]:
    return {
        _("I was detained"): Reporter.DETAINEE,
        _("A relative"): Reporter.RELATIVE,
        _("A lawyer"): Reporter.LAWYER,
        _("A witness"): Reporter.WITNESS,
        _("A volunteer at the station"): Reporter.VOLUNTEER,
    }


def _need_labels() -> dict[str, str]:
    return {
        "water": _("Water"),
        "food": _("Food"),
        "medicine": _("Medicine"),
        "charger": _("Phone charger"),
        "warm_clothes": _("Warm clothes"),
    }


# -- the questions -----------------------------------------------------------------------------

# Each step: the question, and how an answer is read. Order as on the public form.
STEPS = (
    "reporter",
    "city",
    "surname",
    "given",
    "patronymic",
    "birth",
    "minor",
    "detained_at",
    "place",
    "now_at",
    "event",
    "needs",
    "medicine",
    "injured",
    "devices",
    "consent",
    "contact",
    "note",
    "confirm",
)


def _rows(labels: list[str], width: int = 2) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(labels[i : i + width]) for i in range(0, len(labels), width))


def ask(state: State) -> Reply:
    step, answers = state.step, state.answers
    skip = ((_skip(),),)
    if step == "reporter":
        return Reply(_("Who are you?"), _rows(list(_reporters())))
    if step == "city":
        cities = public.open_cities()
        return Reply(_("In which town were they detained?"), _rows([*cities, _unknown()]))
    if step == "surname":
        return Reply(_("The detained person's surname?"))
    if step == "given":
        return Reply(_("Their given name?"), skip)
    if step == "patronymic":
        return Reply(_("Their patronymic?"), skip)
    if step == "birth":
        return Reply(_("Their date of birth, or the year (14.05.2001 or 2001)?"), skip)
    if step == "minor":
        return Reply(_("Are they under 18?"), ((_yes(), _no()), (_unknown(),)))
    if step == "detained_at":
        return Reply(_("When were they detained (19:30, or 06.03.2026 19:30)?"), skip)
    if step == "place":
        return Reply(
            _("Where were they detained? Share the location with the button, or write it."),
            skip,
            location=_("Share location"),
        )
    if step == "now_at":
        return Reply(_("Where are they now (a police station, a van number, a court)?"), skip)
    if step == "event":
        return Reply(_("Which protest or event was it?"), skip)
    if step == "needs":
        chosen = set(answers.get("needs", []))
        labels = [("✅ " if key in chosen else "") + label for key, label in _need_labels().items()]
        return Reply(
            _("What do they need urgently? Press each that applies, then “Done”."),
            (*_rows(labels), (_done(),)),
        )
    if step == "medicine":
        return Reply(_("Which medicine?"), skip)
    if step == "injured":
        return Reply(_("Are they injured, or was violence used?"), ((_yes(), _no()),))
    if step == "devices":
        return Reply(_("Was their phone or another device seized?"), ((_yes(), _no()),))
    if step == "consent":
        return Reply(
            _("Did the detained person agree to be named publicly? Without a yes they are only "
              "counted; with it, the hotline still asks before naming them, and never names a "
              "minor."),
            ((_yes(), _no()), (_unknown(),)),
        )
    if step == "contact":
        return Reply(
            _(
                "How can the hotline reach you, if it needs to (a phone or a Telegram name)? "
                "It is stored encrypted; you may skip it."
            ),
            skip,
        )
    if step == "note":
        hint = _("You may also send up to %(most)d photos here: injuries, a protocol, the "
                 "van's number.") % {"most": public.most_photos()}
        return Reply(_("Anything else, in your own words?") + "\n" + hint, skip)
    return Reply(
        _("Please check what you said:") + "\n\n" + summary(answers),
        ((_send(),), (_again(),)),
    )


def summary(answers: dict[str, Any]) -> str:
    reporters = {value: label for label, value in _reporters().items()}
    needs = _need_labels()
    name = " ".join(answers.get(k, "") for k in ("surname", "given", "patronymic")).strip()
    minor = {True: _yes(), False: _no(), None: _unknown()}[answers.get("is_minor")]
    place = answers.get("place", "")
    if answers.get("latitude") is not None:
        place = _("location shared") + (f" ({place})" if place else "")
    lines = [
        (_("Who writes"), reporters.get(answers.get("reporter", ""), "")),
        (_("Town of detention"), answers.get("city", "")),
        (_("Person"), name),
        (_("Born"), answers.get("birth", "")),
        (_("Under 18"), minor),
        (_("Detained"), answers.get("detained_at", "")),
        (_("Where"), place),
        (_("Where now"), answers.get("now_at", "")),
        (_("Event"), answers.get("event", "")),
        (_("Needs"), ", ".join(needs[n] for n in answers.get("needs", []))),
        (_("Medicine"), answers.get("medicine", "")),
        (_("Injured"), _yes() if answers.get("injured") else _no()),
        (_("Device seized"), _yes() if answers.get("devices_seized") else _no()),
        (_("Agreed to be named publicly"),
         {"yes": _yes(), "no": _no()}.get(answers.get("consent", ""), "")),
        (_("Your contact"), answers.get("contact", "")),
        (_("In your words"), answers.get("note", "")),
        (_("Photos"), str(len(answers.get("photos", []))) if answers.get("photos") else ""),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)


def _next(state: State, answers: dict[str, Any]) -> State:
    index = STEPS.index(state.step) + 1
    step = STEPS[index]
    if step == "city" and len(public.open_cities()) < 2:
        answers = {**answers, "city": (public.open_cities() or [""])[0]}
        step = STEPS[index + 1]
    if step == "medicine" and "medicine" not in answers.get("needs", []):
        step = STEPS[STEPS.index("medicine") + 1]
    return State(step, state.language, answers)


# -- reading an answer -------------------------------------------------------------------------


def _text(message: Incoming, limit: int = TEXT_MAX) -> str | None:
    """The typed answer ("" for Skip), or None when it is too long."""
    text = " ".join(message.text.split()) if limit == TEXT_MAX else message.text.strip()
    if text == _skip():
        return ""
    return text if len(text) <= limit else None


def answer(state: State, message: Incoming) -> tuple[State | None, list[Reply]]:
    """Apply one answer to the current step: the next question, or the same again with what
    was wrong."""
    step, answers = state.step, dict(state.answers)
    text = " ".join(message.text.split())

    def again(problem: str) -> tuple[State | None, list[Reply]]:
        return state, [Reply(problem), ask(state)]

    def go(**said: Any) -> tuple[State | None, list[Reply]]:
        following = _next(state, {**answers, **said})
        return following, [ask(following)]

    if step == "reporter":
        chosen = _reporters().get(text)
        return go(reporter=chosen) if chosen else again(_("Please press one of the buttons."))
    if step == "city":
        if text == _unknown():
            return go(city="")
        cities = public.open_cities()
        return go(city=text) if text in cities else again(_("Please press one of the buttons."))
    if step == "minor":
        choices = {_yes(): True, _no(): False, _unknown(): None}
        if text not in choices:
            return again(_("Please press one of the buttons."))
        return go(is_minor=choices[text])
    if step in ("injured", "devices"):
        if text not in (_yes(), _no()):
            return again(_("Please press one of the buttons."))
        return go(**{"injured" if step == "injured" else "devices_seized": text == _yes()})
    if step == "consent":
        said = {_yes(): "yes", _no(): "no", _unknown(): ""}
        if text not in said:
            return again(_("Please press one of the buttons."))
        return go(consent=said[text])
    if step == "needs":
        if text == _done():
            return go()
        labels = {label: key for key, label in _need_labels().items()}
        key = labels.get(text.removeprefix("✅").strip())
        if key is None:
            return again(_("Please press one of the buttons."))
        needs = set(answers.get("needs", [])) ^ {key}
        state = replace(state, answers={**answers, "needs": [n for n in NEEDS if n in needs]})
        return state, [ask(state)]
    if step == "place" and message.latitude is not None and message.longitude is not None:
        return go(latitude=message.latitude, longitude=message.longitude)
    if step == "confirm":
        if text == _again():
            fresh = State(STEPS[0], state.language)
            return fresh, [ask(fresh)]
        if text != _send():
            return again(_("Please press one of the buttons."))
        return submit(state)
    limit = NOTE_MAX if step == "note" else TEXT_MAX
    typed = _text(message, limit)
    if typed is None:
        return again(_("At most %(limit)d characters, please.") % {"limit": limit})
    if step == "surname" and not typed:
        return again(_("Please write the surname, or the name you know them by."))
    if step == "surname" and not public.has_letter(typed):
        return again(_("A name needs at least one letter (in any alphabet)."))
    if step == "birth" and typed:
        try:
            PartialDate.parse(typed)
        except ValidationError:
            return again(_("Write a date as 14.05.2001, or just the year."))
    return go(**{step: typed})


def public_answers(answers: dict[str, Any]) -> public.PublicAnswers:
    return public.PublicAnswers(
        surname=answers.get("surname", ""),
        given=answers.get("given", ""),
        patronymic=answers.get("patronymic", ""),
        birth=answers.get("birth", ""),
        is_minor=answers.get("is_minor"),
        detained_at_text=answers.get("detained_at", ""),
        place_text=answers.get("place", ""),
        now_at_text=answers.get("now_at", ""),
        city=answers.get("city", ""),
        event_text=answers.get("event", ""),
        needs=frozenset(answers.get("needs", [])),
        medicine_text=answers.get("medicine", ""),
        injured=bool(answers.get("injured")),
        devices_seized=bool(answers.get("devices_seized")),
        reporter=answers.get("reporter", Reporter.WITNESS),
        contact=answers.get("contact", ""),
        note=answers.get("note", ""),
        latitude=answers.get("latitude"),
        longitude=answers.get("longitude"),
        consent=answers.get("consent", ""),
    )


def submit(state: State) -> tuple[State | None, list[Reply]]:
    try:
        sent = public.submit_with_photos(
            public_answers(state.answers), channel=Channel.TELEGRAM,
            pending=state.answers.get("photos", []),
        )
    except public.Refused as refused:
        problems = "\n".join(refused.errors.values())
        return state, [Reply(f"{refused.message}\n{problems}".strip()), ask(state)]
    text = _(
        "Thank you, the report is with the hotline. Your private code is:\n\n%(code)s\n\n"
        "Keep it: send “/status %(code)s” here, or enter it on the website, to learn what "
        "happened. Only the code leads to the report; this conversation is now deleted."
    ) % {"code": public.grouped(sent.code)}
    return None, [Reply(text)]


# -- commands ----------------------------------------------------------------------------------


def intro(minutes: int) -> str:
    return ngettext(
        "This is the detention hotline's bot. It asks about someone detained, one question at "
        "a time, and sends what you say to the hotline's operators, who check it before it is "
        "used. Nothing identifying you or this chat is stored with the report; unfinished "
        "answers are deleted after %(minutes)d minute. But Telegram itself knows who wrote to "
        "this bot: if that is a risk for you, use the form on the website instead (it works "
        "in Tor Browser). /cancel deletes the answers now, /status CODE tells what happened to "
        "a report, /en and /ru switch the language.",
        "This is the detention hotline's bot. It asks about someone detained, one question at "
        "a time, and sends what you say to the hotline's operators, who check it before it is "
        "used. Nothing identifying you or this chat is stored with the report; unfinished "
        "answers are deleted after %(minutes)d minutes. But Telegram itself knows who wrote to "
        "this bot: if that is a risk for you, use the form on the website instead (it works "
        "in Tor Browser). /cancel deletes the answers now, /status CODE tells what happened to "
        "a report, /en and /ru switch the language.",
        minutes,
    ) % {"minutes": minutes}


def status_text(code: str) -> str:
    if not code.strip():
        return _("Send the code after the command: /status CODE")
    found = public.status_for_code(code)
    if found is None:
        return _("No report has this code. Check it and try again.")

    def moment(value: Any) -> str:
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    text = _("Report received %(received)s.") % {"received": moment(found.received_at)}
    text += "\n" + found.label
    if found.since is not None:
        text += " " + _("(since %(since)s)") % {"since": moment(found.since)}
    return text


def respond(
    state: State | None, message: Incoming, *, language: str, minutes: int
) -> tuple[State | None, list[Reply]]:
    """One message in, the state to keep (None: delete it) and the replies out."""
    text = message.text.strip()
    command, _space, argument = text.partition(" ")
    command = command.split("@")[0].lower()
    if command in ("/ru", "/en"):
        lang = command[1:]
        state = replace(state, language=lang) if state else State(STEPS[0], lang)
        return state, [ask(state)]
    if command == "/status":
        return state, [Reply(status_text(argument))]
    if command == "/cancel":
        return None, [Reply(_("Deleted. Send /start to report a detention."))]
    if command in ("/start", "/help") or state is None:
        fresh = State(STEPS[0], state.language if state else language)
        return fresh, [Reply(intro(minutes)), ask(fresh)]
    return answer(state, message)
