"""Shapes of the API's answers and bodies, for the OpenAPI schema (and the docs)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from opd.importing import ROLES
from scheduling.importing import LEAVE_KINDS


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Apa yang salah, dalam Bahasa Indonesia."))
    errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_('Kesalahan per item, misalnya "item 2: nip: ...".'),
    )


class ScheduleRowSerializer(serializers.Serializer):
    nip = serializers.CharField()
    date = serializers.DateField()
    mode = serializers.ChoiceField(choices=["WFO", "WFH", "WFA", "LEAVE", "HOLIDAY"])


class WeekScheduleSerializer(serializers.Serializer):
    week = serializers.CharField(help_text=_("Minggu ISO, misalnya 2026-W50."))
    opd = serializers.CharField(allow_null=True, help_text=_("Kode OPD, atau null: semua OPD."))
    rows = ScheduleRowSerializer(many=True)


class PersonDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    mode = serializers.ChoiceField(choices=["WFO", "WFH", "WFA", "LEAVE", "HOLIDAY"])


class PersonScheduleSerializer(serializers.Serializer):
    nip = serializers.CharField()
    name = serializers.CharField()
    opd = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    days = PersonDaySerializer(many=True)


class AttendanceRowSerializer(serializers.Serializer):
    nip = serializers.CharField()
    name = serializers.CharField()
    expected = serializers.CharField(help_text=_("Mode hari itu: WFO, WFH, WFA, LEAVE, HOLIDAY."))
    state = serializers.CharField(
        help_text=_("not_yet, absent, late, in, out, leave atau holiday.")
    )
    leave_kind = serializers.CharField(allow_blank=True)
    check_in_at = serializers.DateTimeField(allow_null=True)
    check_out_at = serializers.DateTimeField(allow_null=True)
    mode = serializers.CharField(allow_blank=True, help_text=_("Mode yang tercatat."))
    late_minutes = serializers.IntegerField()
    early_minutes = serializers.IntegerField()
    tl = serializers.CharField(allow_blank=True, help_text=_("Kode terlambat (TL)."))
    psw = serializers.CharField(allow_blank=True, help_text=_("Kode pulang sebelum waktu (PSW)."))
    flags = serializers.ListField(child=serializers.CharField())


class AttendanceDaySerializer(serializers.Serializer):
    opd = serializers.CharField()
    date = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = AttendanceRowSerializer(many=True)


class RecapRowSerializer(serializers.Serializer):
    nip = serializers.CharField()
    name = serializers.CharField()
    working_days = serializers.IntegerField()
    present = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    unplanned = serializers.IntegerField()
    late = serializers.DictField(child=serializers.IntegerField())
    early = serializers.DictField(child=serializers.IntegerField())
    absent = serializers.IntegerField()
    wfh_days = serializers.IntegerField()
    missing_reports = serializers.IntegerField()
    tpp_deduction_percent = serializers.FloatField()


class RecapSerializer(serializers.Serializer):
    opd = serializers.CharField()
    month = serializers.CharField()
    rows = RecapRowSerializer(many=True)


class ReportSerializer(serializers.Serializer):
    date = serializers.DateField()
    mode = serializers.CharField()
    report = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)


class ReportsSerializer(serializers.Serializer):
    nip = serializers.CharField()
    name = serializers.CharField()
    month = serializers.CharField()
    reports = ReportSerializer(many=True)


class LeaveItemSerializer(serializers.Serializer):
    nip = serializers.RegexField(r"^\d{18}$", help_text=_("NIP 18 angka."))
    start = serializers.DateField(help_text=_("Tanggal mulai, YYYY-MM-DD."))
    end = serializers.DateField(help_text=_("Tanggal selesai (termasuk), YYYY-MM-DD."))
    kind = serializers.ChoiceField(choices=LEAVE_KINDS, help_text=_("Jenis cuti."))


class LeavePushSerializer(serializers.Serializer):
    items = LeaveItemSerializer(many=True)


class EmployeeItemSerializer(serializers.Serializer):
    nip = serializers.RegexField(r"^\d{18}$", help_text=_("NIP 18 angka."))
    name = serializers.CharField()
    opd_code = serializers.CharField()
    post_code = serializers.CharField(required=False, help_text=_("Kosong: kantor belakang."))
    wfh_eligible = serializers.BooleanField()
    role = serializers.ChoiceField(choices=ROLES, help_text=_("Peran di aplikasi."))
    active = serializers.BooleanField(required=False)
    email = serializers.CharField(required=False)


class EmployeePushSerializer(serializers.Serializer):
    items = EmployeeItemSerializer(many=True)


class PushResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())
