"""Readable texts for attendance flags, in the viewer's language."""

from django.utils.translation import gettext as _

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


def _metres(value) -> str:
    value = float(value)
    if value >= 1000:
        return _("{km} km").format(km=f"{value / 1000:.1f}".replace(".", ","))
    return _("{m} m").format(m=round(value))
