"""The cells of one heat-map row (``/beranda/``), as one tag: 500 OPDs x 5 days are
2,500 cells, and rendering each through the template engine cost a third of a second
at province scale. The post names and the link are escaped; the rest are numbers and
fixed words."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def _text(margin) -> str:
    if margin is None:
        return "–"
    return f"+{margin}" if margin > 0 else str(margin)


@register.simple_tag
def heat_cells(cells, link, today):
    link = escape(link)
    html = []
    for cell in cells:
        title = f' title="{escape(cell.post)}: {cell.margin}"' if cell.post else ""
        margin = "" if cell.margin is None else cell.margin
        html.append(
            f'<td class="cell cell-{cell.tone}{" today" if cell.date == today else ""}" '
            f'data-margin="{margin}"{title}><a href="{link}">{_text(cell.margin)}</a></td>'
        )
    return mark_safe("".join(html))  # noqa: S308 (every text from the data is escaped above)
