"""The demo's lawyers on duty and shift log (called by `intake.demo.load`): four Moscow lawyers
sent to the busiest police stations, some of the people held there given to them (one lawyer
over capacity), and a shift's notes, an incident and a handover."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from pompolit.cases.models import Facility
from pompolit.intake.duty import services
from pompolit.intake.models import HELD, Detention, LogKind
from pompolit.members.models import Compartment, Member

# Name (as they want to be called), phone, capacity, hours on duty (None: until recalled).
LAWYERS = [
    ("Павлова Мария Ивановна", "+7 916 200 11 01", 4, None),
    ("Сидоров Алексей", "+7 903 200 11 02", 3, 8),
    ("Гринберг Елена", "+7 925 200 11 03", 4, None),
    ("Михайлова Татьяна", "", 2, 6),
]
NOTES = [
    (LogKind.NOTE, "Смена началась: двое на телефоне, Вера координирует адвокатов."),
    (LogKind.INCIDENT, "ОВД «Тверской»: адвоката не пускают больше часа, звонили дежурному."),
    (LogKind.NOTE, "Волонтёры везут воду и зарядки в ОВД «Мещанский»."),
]
HANDOVER = (
    "Павлова остаётся до утра в ОВД «Тверской». Несовершеннолетних родителям сообщили, "
    "кроме двоих — номера в карточках. Сидоров уходит в полночь."
)


def load(operator: Member, coordinator: Member, compartment: Compartment) -> None:
    now = timezone.now()
    busiest = [
        row["facility"]
        for row in Detention.objects.filter(compartment=compartment, status__in=HELD)
        .exclude(facility=None)
        .values("facility")
        .annotate(held=Count("pk"))
        .order_by("-held", "facility")[: len(LAWYERS)]
    ]
    for (name, phone, capacity, hours), station_id in zip(LAWYERS, busiest, strict=False):
        start = now - datetime.timedelta(hours=2)
        lawyer = services.add_lawyer(
            coordinator,
            compartment,
            name=name,
            phone=phone,
            capacity=capacity,
            on_duty_from=start,
            on_duty_to=start + datetime.timedelta(hours=hours) if hours else None,
        )
        services.dispatch(coordinator, lawyer, Facility.objects.get(pk=station_id))
        # The first lawyer takes one more than agreed: the board shows them over capacity.
        takes = capacity + 1 if name == LAWYERS[0][0] else capacity - 1
        # Those without a lawyer first; a name typed in earlier may give way to a lawyer on duty.
        for detention in (
            Detention.objects.filter(
                compartment=compartment, facility_id=station_id, status__in=HELD
            )
            .annotate(lawyer_known=Q(lawyer_assigned_at__isnull=False))
            .order_by("lawyer_known", "detained_at")[:takes]
        ):
            services.assign_duty_lawyer(operator, detention, lawyer)
    for kind, text in NOTES:
        services.write_log(operator, compartment, kind, text)
    services.hand_over(operator, compartment, HANDOVER)
