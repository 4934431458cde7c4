"""The machine API under /api/v1/: keys, scopes, a log line per request, Bahasa errors."""

import json
import math

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance.models import Attendance
from attendance.selectors import opd_recap, opd_today
from opd.models import Employee, Opd
from scheduling.calendar import (
    DateTextError,
    month_bounds,
    parse_date,
    parse_month,
    parse_week,
    week_label,
)
from scheduling.models import RosterEntry, RosterStatus
from scheduling.selectors import stream_week_rows

from . import serializers as s
from .auth import ApiKeyAuthentication, ApiKeyThrottle, HasScope
from .models import ApiKey, ApiRequest, Scope
from .services import Refused, push_employees, push_leaves

MAX_RANGE_DAYS = 366
ERRORS = {
    400: s.ErrorSerializer,
    401: s.ErrorSerializer,
    403: s.ErrorSerializer,
    404: s.ErrorSerializer,
    429: s.ErrorSerializer,
}


def _param(name, description, *, required=True, kind=OpenApiTypes.STR, pattern=None):
    return OpenApiParameter(name, kind, required=required, description=description, pattern=pattern)


WEEK_PATTERN = r"^20\d{2}-W(0[1-9]|[1-4]\d|5[0-3])$"
# Years the app plans and records (scheduling.calendar.FIRST_YEAR..LAST_YEAR).
DATE_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2\d|3[01])$"
MONTH_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"


OPD_PARAM = _param(
    "opd",
    gettext_lazy("Kode OPD. Kunci yang terikat pada satu OPD hanya melihat OPD itu."),
    required=False,
)


class ApiView(APIView):
    """Every endpoint: a key with the view's ``scope``, throttled per key, logged."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ApiKeyThrottle]
    scope = ""

    def throttled(self, request, wait):
        seconds = max(1, math.ceil(wait or 1))
        error = exceptions.Throttled(
            detail=_(
                "Terlalu banyak permintaan dengan kunci ini; coba lagi dalam {n} detik."
            ).format(n=seconds)
        )
        error.wait = seconds  # the Retry-After header
        raise error

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(request, "_auth", None)
        ApiRequest.objects.create(
            key_name=key.name if isinstance(key, ApiKey) else "",
            method=request.method[:8],
            path=request.get_full_path()[:300],
            status=response.status_code,
        )
        return response

    # Helpers of the endpoints.

    def query(self, name: str, parse=None, *, required: bool = True):
        value = self.request.query_params.get(name, "").strip()
        if not value:
            if required:
                raise exceptions.ValidationError(
                    {"detail": _('Parameter "{name}" wajib diisi.').format(name=name)}
                )
            return None
        if parse is None:
            return value
        try:
            return parse(value)
        except DateTextError as error:
            raise exceptions.ValidationError({"detail": str(error)}) from None

    def opd(self, code: str | None, *, required: bool = False) -> Opd | None:
        """The OPD asked for, checked against the key's own OPD (403 for another)."""
        key: ApiKey = self.request.auth
        if key.opd_id is not None:
            if code and code != key.opd.code:
                raise exceptions.PermissionDenied(
                    _("Kunci API ini hanya untuk OPD {code}.").format(code=key.opd.code)
                )
            return key.opd
        if not code:
            if required:
                raise exceptions.ValidationError(
                    {"detail": _('Parameter "opd" wajib diisi (kode OPD).')}
                )
            return None
        opd = Opd.objects.filter(code=code).first()
        if opd is None:
            raise exceptions.NotFound(_('OPD "{code}" tidak dikenal.').format(code=code))
        return opd

    def employee(self, nip: str) -> Employee:
        employee = Employee.objects.select_related("opd").filter(nip=nip).first()
        if employee is None:
            raise exceptions.NotFound(_("Pegawai dengan NIP {nip} tidak dikenal.").format(nip=nip))
        key: ApiKey = self.request.auth
        if key.opd_id is not None and employee.opd_id != key.opd_id:
            raise exceptions.PermissionDenied(
                _("Kunci API ini hanya untuk OPD {code}.").format(code=key.opd.code)
            )
        return employee


def _stream_week(monday, opd: Opd | None):
    """The JSON of ``WeekScheduleSerializer``, written 2,000 rows at a time."""
    head = json.dumps({"week": week_label(monday), "opd": opd.code if opd else None})
    yield head[:-1] + ', "rows": ['
    first = True
    chunk = []
    for nip, day, mode in stream_week_rows(monday, opd_id=opd.pk if opd else None):
        chunk.append(f'{{"nip":{json.dumps(nip)},"date":"{day.isoformat()}","mode":"{mode}"}}')
        if len(chunk) == 2000:
            yield ("" if first else ",") + ",".join(chunk)
            first, chunk = False, []
    if chunk:
        yield ("" if first else ",") + ",".join(chunk)
    yield "]}"


class WeekSchedule(ApiView):
    scope = Scope.SCHEDULE_READ

    @extend_schema(
        summary=gettext_lazy("Jadwal satu minggu (roster disetujui)"),
        description=gettext_lazy(
            "Baris nip, tanggal, mode yang sama dengan export_roster --approved-only, "
            "diurutkan menurut NIP lalu tanggal, dikirim bertahap (streaming). Hanya roster "
            "yang sudah disetujui BKPSDM."
        ),
        parameters=[
            _param("week", gettext_lazy("Minggu ISO, misalnya 2026-W50."), pattern=WEEK_PATTERN),
            OPD_PARAM,
        ],
        responses={200: s.WeekScheduleSerializer, **ERRORS},
        tags=["jadwal"],
    )
    def get(self, request):
        monday = self.query("week", parse_week)
        opd = self.opd(self.query("opd", required=False))
        return StreamingHttpResponse(
            _stream_week(monday, opd), content_type="application/json; charset=utf-8"
        )


class PersonSchedule(ApiView):
    scope = Scope.SCHEDULE_READ

    @extend_schema(
        summary=gettext_lazy("Jadwal satu pegawai"),
        description=gettext_lazy(
            "Mode per hari dari roster yang disetujui, antara start dan end (paling lama 366 hari)."
        ),
        parameters=[
            _param(
                "start",
                gettext_lazy("Tanggal awal, YYYY-MM-DD."),
                kind=OpenApiTypes.DATE,
                pattern=DATE_PATTERN,
            ),
            _param(
                "end",
                gettext_lazy("Tanggal akhir (termasuk), YYYY-MM-DD."),
                kind=OpenApiTypes.DATE,
                pattern=DATE_PATTERN,
            ),
        ],
        responses={200: s.PersonScheduleSerializer, **ERRORS},
        tags=["jadwal"],
    )
    def get(self, request, nip):
        start = self.query("start", parse_date)
        end = self.query("end", parse_date)
        if end < start or (end - start).days >= MAX_RANGE_DAYS:
            raise exceptions.ValidationError(
                {
                    "detail": _(
                        "Rentang tanggal harus start <= end dan paling lama {n} hari."
                    ).format(n=MAX_RANGE_DAYS)
                }
            )
        employee = self.employee(nip)
        days = (
            RosterEntry.objects.filter(
                employee=employee,
                date__range=(start, end),
                roster__status=RosterStatus.APPROVED,
            )
            .order_by("date")
            .values("date", "mode")
        )
        return Response(
            {
                "nip": employee.nip,
                "name": employee.name,
                "opd": employee.opd.code,
                "start": start,
                "end": end,
                "days": list(days),
            }
        )


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


class DayAttendance(ApiView):
    scope = Scope.ATTENDANCE_READ

    @extend_schema(
        summary=gettext_lazy("Kehadiran satu hari per OPD"),
        description=gettext_lazy(
            "Jam masuk dan pulang (WIB), mode, TL/PSW dan tanda per pegawai aktif OPD; tanpa "
            "koordinat rumah, lokasi atau alamat IP."
        ),
        parameters=[
            _param(
                "opd",
                gettext_lazy("Kode OPD (kunci yang terikat OPD boleh tanpa ini)."),
                required=False,
            ),
            _param(
                "date",
                gettext_lazy("Tanggal, YYYY-MM-DD."),
                kind=OpenApiTypes.DATE,
                pattern=DATE_PATTERN,
            ),
        ],
        responses={200: s.AttendanceDaySerializer, **ERRORS},
        tags=["kehadiran"],
    )
    def get(self, request):
        day = self.query("date", parse_date)
        opd = self.opd(self.query("opd", required=False), required=True)
        rows, counts = opd_today(opd, day)
        return Response(
            {
                "opd": opd.code,
                "date": day,
                "counts": counts,
                "rows": [
                    {
                        "nip": row.employee.nip,
                        "name": row.employee.name,
                        "expected": row.expected,
                        "state": row.state,
                        "leave_kind": row.leave_kind,
                        "check_in_at": _local(row.record.check_in_at) if row.record else None,
                        "check_out_at": _local(row.record.check_out_at) if row.record else None,
                        "mode": row.record.mode if row.record else "",
                        "late_minutes": row.record.late_minutes if row.record else 0,
                        "early_minutes": row.record.early_minutes if row.record else 0,
                        "tl": row.record.tl_code if row.record else "",
                        "psw": row.record.psw_code if row.record else "",
                        "flags": [str(flag) for flag in row.flags],
                    }
                    for row in rows
                ],
            }
        )


class MonthRecap(ApiView):
    scope = Scope.RECAP_READ

    @extend_schema(
        summary=gettext_lazy("Rekap bulanan per OPD"),
        description=gettext_lazy(
            "Angka yang sama dengan unduhan rekap (CSV/XLSX): hari kerja, hadir, TL dan PSW "
            "per kode, tanpa keterangan, hari WFH/WFA, laporan belum ada, potongan TPP."
        ),
        parameters=[
            _param(
                "opd",
                gettext_lazy("Kode OPD (kunci yang terikat OPD boleh tanpa ini)."),
                required=False,
            ),
            _param("month", gettext_lazy("Bulan, misalnya 2026-12."), pattern=MONTH_PATTERN),
        ],
        responses={200: s.RecapSerializer, **ERRORS},
        tags=["kehadiran"],
    )
    def get(self, request):
        month = self.query("month", parse_month)
        opd = self.opd(self.query("opd", required=False), required=True)
        rows, _tl, _psw = opd_recap(opd, month, timezone.localdate())
        return Response(
            {
                "opd": opd.code,
                "month": month.strftime("%Y-%m"),
                "rows": [
                    {
                        "nip": r.employee.nip,
                        "name": r.employee.name,
                        "working_days": r.working_days,
                        "present": r.present,
                        "percent": r.percent,
                        "unplanned": r.unplanned,
                        "late": r.late,
                        "early": r.early,
                        "absent": r.absent,
                        "wfh_days": r.wfh_days,
                        "missing_reports": r.missing_reports,
                        "tpp_deduction_percent": float(r.deduction),
                    }
                    for r in rows
                ],
            }
        )


class AcceptedReports(ApiView):
    scope = Scope.REPORTS_READ

    @extend_schema(
        summary=gettext_lazy("Laporan kinerja harian yang diterima (untuk e-Kinerja)"),
        description=gettext_lazy(
            "Laporan harian satu pegawai dalam satu bulan yang sudah diterima kepala OPD."
        ),
        parameters=[
            _param("month", gettext_lazy("Bulan, misalnya 2026-12."), pattern=MONTH_PATTERN)
        ],
        responses={200: s.ReportsSerializer, **ERRORS},
        tags=["laporan"],
    )
    def get(self, request, nip):
        month = self.query("month", parse_month)
        employee = self.employee(nip)
        first, last = month_bounds(month)
        reports = (
            Attendance.objects.filter(
                employee=employee,
                date__range=(first, last),
                report_status=Attendance.Report.ACCEPTED,
            )
            .order_by("date")
            .values_list("date", "mode", "report", "reviewed_at")
        )
        return Response(
            {
                "nip": employee.nip,
                "name": employee.name,
                "month": first.strftime("%Y-%m"),
                "reports": [
                    {"date": day, "mode": mode, "report": text, "reviewed_at": _local(at)}
                    for day, mode, text, at in reports
                ],
            }
        )


class PushView(ApiView):
    push = None

    def post(self, request):
        data = request.data
        items = data.get("items") if isinstance(data, dict) else None
        try:
            pushed = type(self).push(items, request.auth)
        except Refused as refused:
            detail = (
                _("Tidak ada yang disimpan; perbaiki item berikut lalu kirim ulang semuanya.")
                if refused.status == 400
                else _("Tidak ada yang disimpan: kunci API ini tidak boleh menulis item ini.")
            )
            return Response({"detail": detail, "errors": refused.errors}, status=refused.status)
        return Response(
            {
                "created": pushed.counts.created,
                "updated": pushed.counts.updated,
                "unchanged": pushed.counts.unchanged,
                "warnings": pushed.warnings,
            }
        )


class Leaves(PushView):
    scope = Scope.LEAVE_WRITE
    push = staticmethod(push_leaves)

    @extend_schema(
        summary=gettext_lazy("Kirim data cuti"),
        description=gettext_lazy(
            "Validasi sama dengan leaves.csv pada impor dataset; semua item disimpan atau "
            "tidak sama sekali, kesalahan disebut per nomor item (mulai dari 1). Hari cuti "
            "pada roster yang diajukan atau disetujui menjadi LEAVE."
        ),
        request=s.LeavePushSerializer,
        responses={200: s.PushResultSerializer, **ERRORS},
        tags=["tulis"],
    )
    def post(self, request):
        return super().post(request)


class Employees(PushView):
    scope = Scope.EMPLOYEES_WRITE
    push = staticmethod(push_employees)

    @extend_schema(
        summary=gettext_lazy("Kirim data pegawai"),
        description=gettext_lazy(
            "Validasi sama dengan employees.csv pada impor dataset, termasuk pemeriksaan NIP; "
            "semua item disimpan atau tidak sama sekali, kesalahan disebut per nomor item."
        ),
        request=s.EmployeePushSerializer,
        responses={200: s.PushResultSerializer, **ERRORS},
        tags=["tulis"],
    )
    def post(self, request):
        return super().post(request)
