from django.urls import reverse

from apps.employment import services
from apps.employment.models import InternshipAgreement
from tests.applications.factories import accepted_application


def test_admin_lists_and_exports_work_for_center_staff(admin_client, vacancy, liaison_a):
    employment = services.employment_hire(
        actor=liaison_a, application=accepted_application(vacancy)
    )
    for name in [
        "employment_employment",
        "employment_employmentchange",
        "employment_internshipagreement",
        "employment_exchangevisit",
        "applications_application",
        "applications_offer",
    ]:
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert (
        admin_client.get(
            reverse("admin:employment_employment_change", args=[employment.pk])
        ).status_code
        == 200
    )
    application = employment.application
    assert (
        admin_client.get(
            reverse("admin:applications_application_change", args=[application.pk])
        ).status_code
        == 200
    )
    response = admin_client.post(
        reverse("admin:employment_employment_changelist"),
        {"action": "export_csv", "_selected_action": [employment.pk]},
    )
    assert employment.teacher.legal_name in b"".join(response.streaming_content).decode()
    assert InternshipAgreement.objects.count() == 0
