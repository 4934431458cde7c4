"""Factories: a valid NIP and a coherent OPD -> post -> employee chain by default.

``EmployeeFactory()`` saves the employee and its login account (role group included);
``EmployeeFactory.build()`` gives an unsaved employee without an account.
"""

import itertools
from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from opd.models import Employee, Opd, Role, ServicePost
from opd.services import save_employee_account

_nip_counter = itertools.count(1)


def valid_nip(n: int | None = None, *, gender: int | None = None) -> str:
    """A valid NIP, unique for every n below 200,000."""
    n = next(_nip_counter) if n is None else n
    birth = date(1970, 1, 1) + timedelta(days=n % 10000)
    appointed_year = 2000 + (n // 10000) % 20
    gender = gender or 1 + n % 2
    return f"{birth:%Y%m%d}{appointed_year}{n % 12 + 1:02d}{gender}{n % 1000:03d}"


class OpdFactory(DjangoModelFactory):
    class Meta:
        model = Opd
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OPD{n:03d}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    essential = False
    office_lat = -6.2383
    office_lon = 106.992
    geofence_radius_m = 150


class ServicePostFactory(DjangoModelFactory):
    class Meta:
        model = ServicePost

    opd = factory.SubFactory(OpdFactory)
    code = factory.Sequence(lambda n: f"POS{n:03d}")
    name = factory.Sequence(lambda n: f"Loket {n}")
    min_onsite = 1


class EmployeeFactory(DjangoModelFactory):
    class Meta:
        model = Employee

    nip = factory.LazyFunction(valid_nip)
    name = factory.Sequence(lambda n: f"Pegawai {n}")
    post = None
    opd = factory.Maybe(
        "post",
        yes_declaration=factory.SelfAttribute("post.opd"),
        no_declaration=factory.SubFactory(OpdFactory),
    )
    wfh_eligible = True
    role = Role.ASN
    active = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        employee = model_class(*args, **kwargs)
        save_employee_account(employee)
        employee.save()
        return employee
