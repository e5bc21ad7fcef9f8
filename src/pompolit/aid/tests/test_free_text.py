"""Issue 18: what is typed about a parcel — its lines ("инсулин, 2 упаковки") and the note of a
step ("изъято на КПП сотрудником Ивановым") — is encrypted at rest, and reads back inside."""

import datetime

from django.db import connection

from pompolit.aid import lifecycle
from pompolit.aid.models import AidContent, AidStepNote, AidTransition
from pompolit.aid.testing import PLANNED

SENT = datetime.date(2026, 11, 20)


def column(table, name):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_a_parcels_lines_are_encrypted(parcel):
    item = parcel()
    stored = column("aid_aidcontent", "description")
    assert stored and all(value and "чай" not in value for value in stored)
    assert [line.description for line in AidContent.objects.filter(item=item)] == [
        "чай, сахар, сухари"]


def test_a_steps_note_is_encrypted_and_shown_with_the_step(parcel, worker):
    item = lifecycle.approve_item(worker, parcel(), on=PLANNED)
    item = lifecycle.send_item(worker, item, on=SENT, channel="post",
                               tracking_number="80085612345678")
    lifecycle.close_item(worker, item, "confiscated", on=SENT,
                         note="Изъято на КПП сотрудником Ивановым")
    stored = column("aid_aidstepnote", "note")
    assert len(stored) == 1 and "Иванов" not in stored[0] and "КПП" not in stored[0]
    steps = {t.to_status: t.note for t in AidTransition.objects.filter(item=item)}
    assert steps["confiscated"] == "Изъято на КПП сотрудником Ивановым"
    assert steps["sent"] == ""  # no note typed: no note row
    assert AidStepNote.objects.count() == 1
    assert "note" not in {f.name for f in AidTransition._meta.concrete_fields}
