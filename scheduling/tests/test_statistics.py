"""Planner statistics after bulk writes are the product's job, not autovacuum's."""

from datetime import date

import pytest
from django.db import connection

from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.services.build import build_roster
from scheduling.services.dataset import import_dataset

from .factories import PolicyFactory

W50 = date(2026, 12, 7)

# The tests below commit (ANALYZE runs after the commit). serialized_rollback: the flush
# after a transactional test would otherwise recreate the content types and groups that
# migrations made under new ids, and the next serialized test could not restore them.


def _stats(table: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.last_analyze IS NOT NULL, c.reltuples FROM pg_class c "
            "JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = %s",
            [table],
        )
        return cursor.fetchone()


def _autovacuum_off(*tables):
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = off)")  # noqa: S608


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_build_analyses_the_entries_it_wrote_with_autovacuum_off(postgres):
    _autovacuum_off("scheduling_rosterentry", "scheduling_roster")
    opd = OpdFactory(code="DISDUKCAPIL")
    EmployeeFactory.create_batch(60, opd=opd)
    PolicyFactory()
    build_roster(week_start=W50)
    analysed, rows = _stats("scheduling_rosterentry")
    assert analysed and rows == 300  # 60 people x 5 days, as the planner now knows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_analyses_the_employees_it_wrote(postgres):
    _autovacuum_off("opd_employee")
    opds = b"code,name,essential\nDISKOMINFO,Dinas Kominfo,0\n"
    lines = [b"nip,name,opd_code,post_code,wfh_eligible,role"]
    for n in range(80):
        lines.append(f"19850315201001{1001 + n:04d},Pegawai {n},DISKOMINFO,,1,asn".encode())
    report = import_dataset(files={"opds.csv": opds, "employees.csv": b"\n".join(lines)})
    assert report.ok, report.errors
    analysed, rows = _stats("opd_employee")
    assert analysed and rows == 80


def _last_analyze(table: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dry_run_import_analyses_nothing(postgres):
    before = _last_analyze("opd_opd")
    lines = [b"code,name,essential"] + [f"OPD{n},Dinas {n},0".encode() for n in range(80)]
    report = import_dataset(files={"opds.csv": b"\n".join(lines)}, dry_run=True)
    assert report.ok and report.counts["opds.csv"].created == 80
    assert _last_analyze("opd_opd") == before
