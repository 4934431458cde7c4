"""The long repeated parts of the city pages (a row or a bar per OPD, 500 at province
scale) as single tags: through the template engine they cost most of the page's time,
through ``format_html`` a fraction of it, escaped the same way."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .humanize_id import percent, rupiah, rupiah_short, thousands

register = template.Library()


def _name(opd) -> str:
    essential = format_html(" · {}", _("esensial")) if opd.essential else ""
    return format_html(
        '{}<div class="text-body-secondary">{}{}</div>', opd.code, opd.name, essential
    )


@register.simple_tag
def bars(chart):
    """The bars of an ``charts.HBarChart``, with their labels and values."""
    return format_html_join(
        "",
        '<g data-bar><text x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="bar{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
        '<text x="{}" dx="4" y="{}">{}</text></g>',
        (
            (
                chart.label_x,
                bar.middle,
                bar.label,
                f" bar-{bar.tone}" if bar.tone else "",
                bar.x,
                bar.y,
                bar.width,
                bar.height,
                bar.label,
                bar.text,
                bar.end,
                bar.middle,
                bar.text,
            )
            for bar in chart.bars
        ),
    )


@register.simple_tag
def savings_rows(rows):
    """The savings page's table: (OPD, MonthSavings) per row."""
    of = _("dari {n}")
    return format_html_join(
        "",
        '<tr data-opd="{}"><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}<div class="text-body-secondary">{}</div></td>'
        '<td class="text-end">{} %</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}{}</td></tr>',
        (
            (
                opd.code,
                _name(opd),
                thousands(f.before),
                thousands(f.planned_avoided),
                thousands(f.actual_avoided),
                of.format(n=thousands(f.elapsed_before)),
                f.fixed_share,
                percent(f.planned_percent),
                percent(f.actual_percent),
                rupiah(f.planned_rupiah),
                percent(f.bill_percent),
                format_html('<div class="text-body-secondary">{}</div>', rupiah(f.bill))
                if f.bill is not None
                else "",
            )
            for opd, f in rows
        ),
    )


@register.simple_tag
def share_rows(shares, month):
    """The WFH-share table: one ``selectors.OpdShare`` per row, linking to its OPD."""
    link = reverse("evaluation:fairness-opd", args=["__code__"])
    query = f"?bulan={month:%Y-%m}"
    label = _("Sebaran pegawai")
    return format_html_join(
        "",
        '<tr data-opd="{}"><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td><a href="{}">{}</a></td></tr>',
        (
            (
                share.opd.code,
                _name(share.opd),
                thousands(share.office),
                thousands(share.remote),
                percent(share.percent),
                link.replace("__code__", share.opd.code) + query,
                label,
            )
            for share in shares
        ),
    )


@register.simple_tag
def discipline_rows(rows):
    """The discipline page's table: (OPD, days at the office, days away) per row."""
    return format_html_join(
        "",
        '<tr data-opd="{}"><td>{}<div class="text-body-secondary">{}</div></td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td></tr>',
        (
            (
                opd.code,
                opd.code,
                opd.name,
                percent(office.kind_rate("TL")),
                percent(office.kind_rate("PSW")),
                percent(office.absent_rate),
                percent(away.kind_rate("TL")),
                percent(away.kind_rate("PSW")),
                percent(away.absent_rate),
                percent(away.returned_rate),
            )
            for opd, office, away in rows
        ),
    )


LEVEL_CLASS = {"berat": ' class="table-danger"', "sedang": ' class="table-warning"'}


@register.simple_tag
def ladder_rows(rows):
    """The absence ladder: one ``selectors.LadderRow`` per row."""
    return format_html_join(
        "",
        '<tr data-nip="{}"{}><td>{}<div class="text-body-secondary nip">{}</div></td><td>{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                r.nip,
                mark_safe(LEVEL_CLASS.get(r.step.level, "")),  # noqa: S308 (fixed text)
                r.name,
                r.nip,
                r.opd_code,
                r.days,
                r.run or "–",
                r.step.level,
                r.step.penalty,
            )
            for r in rows
        ),
    )


@register.simple_tag
def scenario_rows(rows):
    """A scenario's per-OPD table: the proposal and the policies in force."""

    def held(figures):
        if not figures.held_posts:
            return "–"
        return "; ".join(f"{h.name} ({h.min_onsite}/{h.staff})" for h in figures.held_posts)

    def spread(value):
        return "–" if value is None else value

    return format_html_join(
        "",
        '<tr data-opd="{}"><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end{}">{}</td><td class="text-end">{}</td><td class="text-end">{}{}</td>'
        '<td class="text-end">{}</td><td class="text-end{}">{}</td><td class="text-end">{}</td>'
        "</tr>",
        (
            (
                row["code"],
                format_html(
                    '{}<div class="text-body-secondary">{}{}</div>',
                    row["code"],
                    row["name"],
                    format_html(" · {}", _("esensial")) if row["essential"] else "",
                ),
                thousands(p.staff),
                percent(p.eligible_share),
                held(p),
                percent(p.max_share),
                percent(p.projected_share),
                " text-danger" if p.shortfalls else "",
                p.shortfalls,
                spread(p.fairness_spread),
                percent(row["proposed"]["saving"]),
                format_html(
                    '<div class="text-body-secondary">{}</div>',
                    rupiah_short(row["proposed"]["rupiah"]),
                )
                if row["proposed"]["rupiah"]
                else "",
                percent(g.projected_share),
                " text-danger" if g.shortfalls else "",
                g.shortfalls,
                percent(row["in_force"]["saving"]),
            )
            for row in rows
            for p, g in [(row["proposed"]["figures"], row["in_force"]["figures"])]
        ),
    )


@register.simple_tag
def opd_checkboxes(field):
    """The scenario form's OPD choices as plain checkboxes (500 at province scale: each
    through Django's widget templates cost a quarter of a second)."""
    chosen = {str(v) for v in (field.value() or [])}
    return format_html_join(
        "",
        '<div class="form-check"><input class="form-check-input" type="checkbox" name="{}" '
        'value="{}" id="{}_{}"{}><label class="form-check-label" for="{}_{}">{} – {}</label>'
        "</div>",
        (
            (
                field.html_name,
                opd.pk,
                field.auto_id,
                opd.pk,
                mark_safe(" checked") if str(opd.pk) in chosen else "",  # noqa: S308
                field.auto_id,
                opd.pk,
                opd.code,
                opd.name,
            )
            for opd in field.field.queryset
        ),
    )
