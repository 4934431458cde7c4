"""Numbers as people here read them: 1.234.567, Rp 1.234.567, 12,5 % (in English
1,234,567 and 12.5 %), and "–" for a figure that is not known."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()
UNKNOWN = "–"
# Indonesian writes 1.234.567,5 where English writes 1,234,567.5. Formatting by hand:
# a page of 500 OPDs prints thousands of numbers, and Django's number_format looks up
# the locale's settings on every call.
_INDONESIAN = str.maketrans({",": ".", ".": ","})


def number_format(value, digits: int = 0, force_grouping: bool = True) -> str:
    text = f"{float(value):,.{digits}f}" if digits else f"{round(float(value)):,d}"
    return text.translate(_INDONESIAN) if (get_language() or "id").startswith("id") else text


@register.filter
def thousands(value):
    if value is None or value == "":
        return UNKNOWN
    return number_format(value, 0, force_grouping=True)


@register.filter
def rupiah(value):
    if value is None or value == "":
        return UNKNOWN
    return f"Rp {number_format(value, 0, force_grouping=True)}"


@register.filter
def percent(value, digits=1):
    if value is None or value == "":
        return UNKNOWN
    return f"{number_format(value, int(digits), force_grouping=True)} %"


@register.filter
def rupiah_short(value):
    """Rp 2,46 miliar / Rp 245,6 juta: a headline figure that fits a phone's card."""
    if value is None or value == "":
        return UNKNOWN
    if abs(value) >= 10**9:
        unit = _("miliar")
        return f"Rp {number_format(value / 10**9, 2)} {unit}"
    if abs(value) >= 10**6:
        unit = _("juta")
        return f"Rp {number_format(value / 10**6, 1)} {unit}"
    return rupiah(value)


@register.filter
def grade_rate(figures, code):
    """``ModeDiscipline.rate(code)``: the share of days present with that grade."""
    return figures.rate(code)


@register.filter
def kind_rate(figures, prefix):
    """``ModeDiscipline.kind_rate(prefix)``: the share of days present with any TL (or
    PSW) grade."""
    return figures.kind_rate(prefix)


@register.filter
def percent_of_one(value):
    """0.5 -> "50 %": a ratio as people say it."""
    if value is None or value == "":
        return UNKNOWN
    return percent(float(value) * 100, 0)
