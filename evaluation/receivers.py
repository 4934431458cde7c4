"""Keeping the daily aggregates current when rosters are decided or changed (connected
in ``EvaluationConfig.ready``). Both signals are sent after the commit; the work goes to
the queue, and a failure is logged, not raised into the request: the nightly refresh
catches up."""

import logging
from collections import defaultdict
from datetime import timedelta

logger = logging.getLogger(__name__)


def _queue(start, end, opd_ids) -> None:
    from .tasks import refresh_evaluation

    try:
        refresh_evaluation.delay(start.isoformat(), end.isoformat(), sorted(opd_ids))
    except Exception:  # the broker or the database; the nightly refresh catches up
        logger.exception("evaluation refresh for OPDs %s could not be queued", opd_ids)


def days_changed(sender, *, opd_id: int, dates, **kwargs) -> None:
    """A swap, request or recall changed days of an approved week."""
    dates = sorted(dates)
    if dates:
        _queue(dates[0], dates[-1], [opd_id])


def rosters_decided(sender, *, decided, status, **kwargs) -> None:
    """BKPSDM approved (or rejected) rosters: their weeks count now (or no longer)."""
    weeks = defaultdict(set)
    for opd_id, monday in decided:
        weeks[monday].add(opd_id)
    for monday, opd_ids in sorted(weeks.items()):
        _queue(monday, monday + timedelta(days=4), opd_ids)
