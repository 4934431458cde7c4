"""Readable reasons for roster entries, rendered in the viewer's language.

Entries store a reason code and its arguments (``roster.Reason``); the words are
chosen when the entry is shown, so the same roster reads in Indonesian or English.
"""

from django.utils.translation import gettext as _

from opd.dates import short_day_text

from .models import Leave
from .roster import Reason


def reason_text(reason: str, args: dict) -> str:
    if reason == Reason.HOLIDAY:
        return _("libur: {name}").format(name=args.get("name", ""))
    if reason == Reason.LEAVE:
        kinds = dict(Leave.Kind.choices)
        return str(kinds.get(args.get("kind"), _("cuti")))
    if reason == Reason.REMOTE_CAP:
        return _("batas {max} hari kerja dari luar kantor per minggu sudah terpakai").format(
            max=args.get("max", "")
        )
    if reason == Reason.POST_MINIMUM:
        return _("pos {post} butuh {min} orang di kantor").format(
            post=args.get("post", ""), min=args.get("min", "")
        )
    if reason == Reason.SWAPPED:
        return _("ditukar dengan {name}").format(name=args.get("with", ""))
    if reason == Reason.RECALLED:
        return _("dipanggil ke kantor oleh {name}").format(name=args.get("by", ""))
    if reason == Reason.REQUESTED:
        return _("permohonan {mode} disetujui Kepala OPD").format(mode=args.get("mode", ""))
    texts = {
        Reason.ESSENTIAL: _("OPD esensial"),
        Reason.HEAD: _("kepala OPD selalu di kantor"),
        Reason.NOT_ELIGIBLE: _("tugas tidak dapat dikerjakan dari rumah"),
        Reason.NO_POLICY: _("tidak ada kebijakan WFH yang berlaku"),
        Reason.OFFICE_DAY: _("hari kerja di kantor untuk semua"),
        Reason.ROTATION_WFO: _("giliran WFO"),
        Reason.ROTATION_WFH: _("giliran WFH"),
        Reason.FIXED_WFH: _("hari WFH bersama"),
        Reason.WFA: _("masa WFA"),
        Reason.PINNED: _("diatur Kepala OPD"),
    }
    return str(texts.get(reason, reason))


def violation_text(violation, names: dict[int, str] | None = None) -> str:
    """A ``week_check.Violation`` as a reason a head can act on, e.g. "pos Loket KTP
    tinggal 2 dari 3 orang di kantor pada Sel, 8 Des"."""
    from .week_check import Rule

    args = violation.args
    day = short_day_text(violation.date)
    who = (names or {}).get(violation.person_id, "") or _("pegawai")
    if violation.rule == Rule.POST_MINIMUM:
        if args.get("present", args["required"]) < args.get("minimum", args["required"]):
            # Leave already left the post below its minimum: everyone there must stay.
            return _(
                "pos {post} tinggal {onsite} orang di kantor pada {day}, padahal minimum "
                "{minimum} dan hanya {present} yang tidak cuti: semuanya harus di kantor"
            ).format(
                post=args["post"],
                onsite=args["onsite"],
                minimum=args["minimum"],
                present=args["present"],
                day=day,
            )
        return _("pos {post} tinggal {onsite} dari {required} orang di kantor pada {day}").format(
            post=args["post"], onsite=args["onsite"], required=args["required"], day=day
        )
    if violation.rule == Rule.REMOTE_CAP:
        return _(
            "{who} bekerja dari luar kantor {days} hari minggu ini; kebijakan membolehkan "
            "paling banyak {max} hari"
        ).format(who=who, days=args["days"], max=args["max"])
    if violation.rule == Rule.TOO_FEW_REMOTE:
        return _(
            "hanya {remote} dari {candidates} pegawai yang boleh WFH bekerja dari luar kantor "
            "pada {day}; kebijakan meminta paling sedikit {lowest}"
        ).format(day=day, **{k: args[k] for k in ("remote", "candidates", "lowest")})
    if violation.rule == Rule.TOO_MANY_REMOTE:
        return _(
            "{remote} dari {candidates} pegawai yang boleh WFH bekerja dari luar kantor pada "
            "{day}; kebijakan membolehkan paling banyak {highest}"
        ).format(day=day, **{k: args[k] for k in ("remote", "candidates", "highest")})
    texts = {
        Rule.MISSING: _("{who} belum punya jadwal pada {day}"),
        Rule.HOLIDAY: _("{day} hari libur: semua pegawai libur")
        if args.get("holiday")
        else _("{day} bukan hari libur, jadi {who} tidak dapat dijadwalkan libur"),
        Rule.LEAVE: _("{who} sedang cuti pada {day}")
        if args.get("on_leave")
        else _("{who} tidak sedang cuti pada {day}"),
        Rule.MUST_BE_AT_OFFICE: {
            "essential": _("{who} bekerja di OPD esensial dan harus di kantor pada {day}"),
            "head": _("{who} adalah kepala OPD dan harus di kantor pada {day}"),
            "eligible": _("tugas {who} tidak dapat dikerjakan dari rumah ({day})"),
        }.get(args.get("why"), ""),
        Rule.NOT_A_REMOTE_DAY: _("{day} adalah hari kerja di kantor; {who} harus WFO")
        if args.get("policy")
        else _("tidak ada kebijakan WFH yang berlaku pada {day}; {who} harus WFO"),
        Rule.WRONG_REMOTE_MODE: _(
            "pada {day} kebijakan yang berlaku hanya membolehkan {mode} untuk {who}"
        ),
    }
    return str(texts.get(violation.rule, violation.rule)).format(
        who=who, day=day, mode=args.get("mode", "")
    )
