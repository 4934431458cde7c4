"""Signals other apps listen to, so that ``scheduling`` never imports them."""

from django.dispatch import Signal

# Sent after the commit of a change to a submitted or approved roster
# (``services.changes.change_days``), with ``opd_id`` and ``dates`` (the days changed).
# ``attendance`` re-checks today's post coverage on it.
days_changed = Signal()
