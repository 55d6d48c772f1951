"""Announcements other apps may react to (matching queues a shortlist task on them)."""

from django.dispatch import Signal

# Sent after the transaction that published the vacancy commits; kwargs: vacancy_id.
vacancy_published = Signal()

# Sent after the transaction that closed or expired the vacancy commits; kwargs: vacancy_id.
# Applications listens to close the open applications (it sits above vacancies).
vacancy_closed = Signal()
