"""Readable reasons for roster entries, rendered in the viewer's language.

Entries store a reason code and its arguments (``roster.Reason``); the words are
chosen when the entry is shown, so the same roster reads in Indonesian or English.
"""

from django.utils.translation import gettext as _

from .models import Leave
from .roster import Reason


def reason_text(reason: str, args: dict) -> str:
    if reason == Reason.HOLIDAY:
        return _("libur: {name}").format(name=args.get("name", ""))
    if reason == Reason.LEAVE:
        kinds = dict(Leave.Kind.choices)
        return str(kinds.get(args.get("kind"), _("cuti")))
    if reason == Reason.POST_MINIMUM:
        return _("pos {post} butuh {min} orang di kantor").format(
            post=args.get("post", ""), min=args.get("min", "")
        )
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
    }
    return str(texts.get(reason, reason))
