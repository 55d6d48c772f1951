"""CSV rows for employments: one layout for the school, bureau and admin exports."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import Employment
from .selectors import employment_state


def employment_csv_rows(
    employments: QuerySet[Employment], *, with_permits: bool
) -> Iterator[list[Any]]:
    """Yield a header and one row per employment (permit dates only where with_permits)."""
    header = [
        _("Teacher"),
        _("Nationality"),
        _("School"),
        _("District"),
        _("Status"),
        _("Contract start"),
        _("Contract end"),
        _("Weekly hours"),
        _("Salary (CNY/month)"),
        _("Hiring channel"),
        _("Cluster"),
    ]
    # Bureau viewers see personal data masked (DESIGN): permit dates stay with school and center.
    if with_permits:
        header += [_("Work permit valid until"), _("Residence permit valid until")]
    yield header
    employments = employments.select_related(
        "teacher", "school", "school__district", "cluster"
    ).prefetch_related("changes")
    for employment in employments.iterator(chunk_size=500):
        state = employment_state(employment=employment)
        row = [
            employment.teacher.legal_name,
            employment.teacher.nationality.name,
            employment.school,
            employment.school.district,
            employment.get_status_display(),
            employment.contract_start.isoformat(),
            state.contract_end.isoformat(),
            employment.weekly_hours,
            employment.salary,
            employment.get_hiring_channel_display(),
            employment.cluster or "",
        ]
        if with_permits:
            row += [
                state.work_permit_expires.isoformat() if state.work_permit_expires else "",
                state.residence_permit_expires.isoformat()
                if state.residence_permit_expires
                else "",
            ]
        yield row
