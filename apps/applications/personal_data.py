"""The applications section of "export my data" and account deletion."""

from typing import Any

from .models import OPEN_STATUSES, Application, ApplicationStatus


def export_applications(user: Any) -> dict[str, Any]:
    applications = Application.objects.filter(teacher__user=user).select_related(
        "vacancy", "vacancy__school", "offer"
    )
    rows = []
    for application in applications:
        offer = getattr(application, "offer", None)
        rows.append(
            {
                "vacancy": application.vacancy.title,
                "school": str(application.vacancy.school),
                "status": application.status,
                "applied_at": application.created_at.isoformat(),
                "cover_letter": application.cover_letter,
                "teacher_rank": application.teacher_rank,
                "offer": None
                if offer is None
                else {
                    "salary": offer.salary,
                    "contract_start": offer.contract_start.isoformat(),
                    "contract_end": offer.contract_end.isoformat(),
                    "status": offer.status,
                },
            }
        )
    return {"applications": rows} if rows else {}


def erase_applications(user: Any) -> None:
    # Open applications end with the account; the history stays (hiring records), letters go.
    from .services import application_withdraw

    for application in Application.objects.filter(
        teacher__user=user, status__in=OPEN_STATUSES
    ).exclude(status=ApplicationStatus.HIRED):
        application_withdraw(actor=user, application=application)
    Application.objects.filter(teacher__user=user).update(cover_letter="")
