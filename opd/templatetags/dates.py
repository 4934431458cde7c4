"""``{{ day|tanggal }}`` and ``{{ day|tanggal_pendek }}``: the interface's one date format
(opd.dates), a builtin of every template."""

from datetime import date

from django import template

from opd.dates import day_text, moment_text, short_day_text

register = template.Library()


@register.filter
def tanggal(value):
    return day_text(value) if value else ""


@register.filter
def tanggal_pendek(value):
    """Also a date stored as ISO text (a roster's shortfalls and gaps are JSON)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return short_day_text(value) if value else ""


@register.filter
def waktu(value):
    """A moment: "Rab, 9 Des 2026 08:02", in WIB."""
    return moment_text(value) if value else ""
