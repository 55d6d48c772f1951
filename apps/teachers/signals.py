"""Announcements other apps may listen to (sent after commit, with the teacher's id).

`teacher_verified`: the center verified a profile — the teacher may now pass the admission
standard, so matching can queue a re-evaluation. `teacher_needs_review`: a verified profile
went back to review (a key field changed), so it must drop out of matching.
`teacher_opted_in`: a verified teacher turned suggestions back on, so matching can shortlist
them at once instead of at the nightly run.
"""

from django.dispatch import Signal

teacher_verified = Signal()  # kwargs: teacher_id
teacher_needs_review = Signal()  # kwargs: teacher_id
teacher_opted_in = Signal()  # kwargs: teacher_id
