"""Signals other apps listen to, so that ``scheduling`` never imports them."""

from django.dispatch import Signal

# Sent after the commit of a change to a submitted or approved roster
# (``services.changes.change_days``), with ``opd_id`` and ``dates`` (the days changed).
# ``attendance`` re-checks today's post coverage on it.
days_changed = Signal()

# Sent after the commit of a decision on rosters (``services.approval``), with
# ``decided`` as (opd_id, week_start) pairs and the new ``status``. ``evaluation``
# recomputes those weeks' daily figures on it.
rosters_decided = Signal()
