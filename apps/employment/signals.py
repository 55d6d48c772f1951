"""Announcements higher apps listen to (sent after commit).

`employment_changed`: a hire was confirmed or its register recorded a change (kwargs:
employment_id), so guidance can recompute the hire's open checklist steps.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Employment

employment_changed = Signal()  # kwargs: employment_id


def announce_employment_changed(employment_id: int) -> None:
    """Send employment_changed once the current transaction commits."""
    transaction.on_commit(
        lambda: employment_changed.send(sender=Employment, employment_id=employment_id)
    )
