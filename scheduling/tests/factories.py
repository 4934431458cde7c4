from datetime import date

import factory
from factory.django import DjangoModelFactory

from scheduling.models import Holiday, Leave, Policy, PolicyKind


class PolicyFactory(DjangoModelFactory):
    class Meta:
        model = Policy

    name = factory.Sequence(lambda n: f"Fase {n}")
    reference = "150/KPG.03/BKD"
    start = date(2025, 12, 2)
    end = date(2027, 12, 31)
    mode = PolicyKind.ROTATION
    wfh_ratio = 0.5
    weekdays = "tue,wed,thu,fri"


class LeaveFactory(DjangoModelFactory):
    class Meta:
        model = Leave

    kind = Leave.Kind.ANNUAL


class HolidayFactory(DjangoModelFactory):
    class Meta:
        model = Holiday

    name = "Hari libur daerah"
