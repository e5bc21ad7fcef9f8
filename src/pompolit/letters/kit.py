"""The letter-evening kit: a printable card per prisoner who may be written to — the name,
the address for letters from the facility's record (as the public page shows it, without the
year of birth), what to know before writing (the facility's letter rules), in large print —
for the tables of an evening where letters are written on paper. Only the prisoners a
stranger may write to (`pick.recipients`: the consent in force names the facility) are on it,
exactly as on the public pages. The prisoner's photo is on the card only while that consent
names the photo, as on the public page (cases/photos/services.py:public_photo); it is put into
the HTML itself as a data: URI, the one kind of address the PDF's fetcher takes (it refuses
every URL: letters/layout.py), so it is never written anywhere in clear."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from pompolit.audit.services import record
from pompolit.cases.facilities.addresses import facility_address
from pompolit.cases.models import Case
from pompolit.cases.photos.services import has_photo
from pompolit.letters import layout, work
from pompolit.letters.pick import recipients
from pompolit.letters.rules import Rules, rules_for
from pompolit.members.models import Member
from pompolit.vault.fields.files import EncryptedFile


@dataclass(frozen=True)
class Card:
    name: str
    address: tuple[str, ...]
    rules: Rules
    photo: str = ""  # a data: URI of the JPEG, "" without one or without consent


def _photo(case: Case) -> str:
    if not has_photo(case):
        return ""
    photo = case.photo
    assert isinstance(photo, EncryptedFile)
    return layout.data_uri(photo.read())


def cards(actor: Member) -> list[Card]:
    work.letters(actor)  # only LETTER_MODERATORS
    found = {r.case_id: r for r in recipients()}
    cases = (Case.objects.filter(pk__in=found)
             .select_related("person", "current_facility").order_by("person__display_name", "pk"))
    made = []
    for case in cases:
        facility = case.current_facility
        if facility is None:
            continue
        rules = rules_for(facility)
        if not rules.open_to_writers:
            continue
        # As the public writer's page shows it: the name and the facility's address, no year
        # of birth (the cards lie on the tables of an evening open to anyone).
        recipient = found[case.pk]
        made.append(Card(recipient.name, (recipient.name, *facility_address(facility)), rules,
                         _photo(case) if recipient.photo else ""))
    return made


def render_html(found: list[Card]) -> str:
    return render_to_string("letters/kit_cards.html", {"cards": found})


def render_pdf(actor: Member) -> bytes:
    """The cards in parts of `layout.PART` on every core (letters/layout.py), as the batches'
    letters: a registry of thousands makes thousands of pages."""
    found = cards(actor)
    parts = [render_html(found[start:start + layout.PART])
             for start in range(0, len(found), layout.PART)] or [render_html(found)]
    pdf = layout.joined(parts)
    record("letters.kit_printed", actor=actor, details={
        "cards": len(found), "photos": sum(1 for card in found if card.photo)})
    return pdf
