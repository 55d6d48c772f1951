"""Announcements higher apps listen to (sent after commit).

`teacher_credit_changed`: a teacher's star level or credit changed (kwargs: teacher_id), so
matching can re-rank that teacher's shortlists. `school_restricted`: a restriction on a school
became active (kwargs: school_id, record_code), so vacancies can close its open posts and tell
the applicants.
"""

from django.dispatch import Signal

teacher_credit_changed = Signal()  # kwargs: teacher_id
school_restricted = Signal()  # kwargs: school_id, record_code
