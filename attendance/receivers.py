"""What attendance does when another app says something changed (connected in
``AttendanceConfig.ready``)."""

import logging

from django.db import DatabaseError

logger = logging.getLogger(__name__)


def days_changed(sender, *, opd_id: int, dates, **kwargs) -> None:
    """A submitted or approved week changed (``scheduling.signals.days_changed``): when
    today is among the days, re-check the OPD's posts at once. Sent after the change's
    commit, so a failure here is logged, not raised into the request that made it; the
    next scheduled check catches up."""
    from .services import check_coverage_after_change

    try:
        check_coverage_after_change(opd_id, list(dates))
    except DatabaseError:
        logger.exception("coverage re-check after a roster change failed (OPD %s)", opd_id)
