"""Readable texts for attendance flags, in the viewer's language.

``flag_text`` is the detailed wording for whoever reviews a record (the OPD head,
BKPSDM); ``flag_text_for_person`` is what the person themselves reads: the same facts,
without naming a suspected cause, as something that will be looked at.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import rules


def flag_text(flag: dict) -> str:
    code, args = flag.get("code"), flag.get("args", {})
    when = _("pulang") if args.get("at") == "out" else _("masuk")
    if code == rules.NO_LOCATION:
        return _("lokasi tidak tersedia (presensi {when})").format(when=when)
    if code == rules.OUTSIDE_OFFICE:
        return _("presensi WFO {distance} dari kantor (batas {limit})").format(
            distance=_metres(args["distance_m"]), limit=_metres(args["limit_m"])
        )
    if code == rules.FAR_FROM_HOME:
        return _("presensi WFH {distance} dari rumah terdaftar (batas {limit})").format(
            distance=_metres(args["distance_m"]), limit=_metres(args["limit_m"])
        )
    if code == rules.POOR_ACCURACY:
        return _("akurasi lokasi buruk: {accuracy} (batas {limit}, presensi {when})").format(
            accuracy=_metres(args["accuracy_m"]), limit=_metres(args["limit_m"]), when=when
        )
    if code == rules.ZERO_ACCURACY:
        return _("akurasi lokasi 0 m, tidak wajar (pola aplikasi lokasi palsu)")
    if code == rules.SHARED_COORDINATES:
        return _("koordinat sama persis dengan presensi pegawai lain hari ini (pola lokasi palsu)")
    if code == rules.NO_REFERENCE:
        if args.get("place") == "home":
            return _("lokasi tidak dapat dicek: rumah pegawai belum terdaftar")
        return _("lokasi tidak dapat dicek: titik kantor OPD belum diisi")
    if code == rules.CHECKOUT_FAR:
        return _("presensi pulang {distance} dari lokasi presensi masuk (batas {limit})").format(
            distance=_metres(args["distance_m"]), limit=_metres(args["limit_m"])
        )
    return str(code)


def flag_text_for_person(flag: dict) -> str:
    """The flag as the ASN reads it on their own pages: "perlu ditinjau: …", the facts
    (distance, accuracy) without the suspected cause the head reads."""
    code, args = flag.get("code"), flag.get("args", {})
    if code == rules.NO_LOCATION:
        when = _("pulang") if args.get("at") == "out" else _("masuk")
        detail = _("lokasi tidak terkirim saat presensi {when}").format(when=when)
    elif code == rules.ZERO_ACCURACY:
        detail = _("ponsel melaporkan akurasi lokasi 0 m")
    elif code == rules.SHARED_COORDINATES:
        detail = _("titik lokasi sama persis dengan presensi pegawai lain hari ini")
    elif code == rules.NO_REFERENCE and args.get("place") == "home":
        detail = _("lokasi belum dapat dicek karena rumah Anda belum terdaftar")
    else:
        detail = flag_text(flag)
    return _("perlu ditinjau: {detail}").format(detail=detail)


def duration_text(minutes: int) -> str:
    """``minutes`` as "5 jam 2 menit", "3 jam" or "45 menit"."""
    hours, rest = divmod(minutes, 60)
    hours_text = ngettext("{n} jam", "{n} jam", hours).format(n=hours)
    minutes_text = ngettext("{n} menit", "{n} menit", rest).format(n=rest)
    if hours and rest:
        return _("{hours} {minutes}").format(hours=hours_text, minutes=minutes_text)
    return hours_text if hours else minutes_text


def out_of_hours_text(remark: rules.OutOfHours, hours) -> str:
    """A check-in far outside working hours, said plainly (``rules.out_of_hours``)."""
    if remark.before:
        return _("Sekarang {duration} sebelum jam kerja mulai pukul {start} WIB.").format(
            duration=duration_text(remark.minutes), start=hours[0].strftime("%H:%M")
        )
    return _(
        "Sekarang {duration} setelah jam kerja berakhir pukul {end} WIB; presensi masuk "
        "tercatat terlambat."
    ).format(duration=duration_text(remark.minutes), end=hours[1].strftime("%H:%M"))


def metres_text(value) -> str:
    """A distance as "45 m" or "1,2 km"."""
    return _metres(value)


def _metres(value) -> str:
    value = float(value)
    if value >= 1000:
        return _("{km} km").format(km=f"{value / 1000:.1f}".replace(".", ","))
    return _("{m} m").format(m=round(value))
