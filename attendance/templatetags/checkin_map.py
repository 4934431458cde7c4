"""``{% check_in_map record employee opd own=True %}``: where a check-in was made,
drawn on the server (attendance.geofence) as inline SVG."""

from django import template

from attendance.config import config
from attendance.geofence import check_in_picture
from attendance.texts import metres_text

register = template.Library()


@register.inclusion_tag("attendance/includes/geofence.html")
def check_in_map(record, employee, opd, own=False):
    picture = check_in_picture(record, employee, opd, config().thresholds, own=own)
    return {
        "picture": picture,
        "distance": metres_text(picture.distance_m) if picture else "",
        "limit": metres_text(picture.limit_m) if picture else "",
        "picture_id": record.pk if record is not None else "",
    }
