"""The cells of one heat-map row (``/beranda/``), as one tag: 500 OPDs x 5 days are
2,500 cells, and rendering each through the template engine cost a third of a second
at province scale; ``format_html`` escapes the same way in a fraction of it."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _text(margin) -> str:
    if margin is None:
        return "–"
    return f"+{margin}" if margin > 0 else str(margin)


@register.simple_tag
def heat_cells(cells, link, today):
    return format_html_join(
        "",
        '<td class="cell cell-{}{}" data-margin="{}"{}><a href="{}">{}</a></td>',
        (
            (
                cell.tone,
                " today" if cell.date == today else "",
                "" if cell.margin is None else cell.margin,
                format_html(' title="{}: {}"', cell.post, cell.margin) if cell.post else "",
                link,
                _text(cell.margin),
            )
            for cell in cells
        ),
    )
