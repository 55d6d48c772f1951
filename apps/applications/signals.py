"""Announcements other apps may listen to (sent after commit).

`application_submitted`: a teacher applied to a vacancy (kwargs: application_id), so matching
can close a suggestion of the same pair.
"""

from django.dispatch import Signal

application_submitted = Signal()  # kwargs: application_id
