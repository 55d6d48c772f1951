from datetime import timedelta

from django.utils import timezone

from apps.applications import selectors as application_selectors
from apps.applications import services as application_services
from apps.employment import selectors, services
from tests.applications.factories import accepted_application


def test_dashboard_counts(vacancy, teacher, liaison_a, bureau_xihu_user):
    application_services.application_apply(actor=teacher.user, vacancy=vacancy)
    assert application_selectors.open_applicant_count_for_school(school=vacancy.school) == 1
    assert application_selectors.application_counts_for_teacher(user=teacher.user) == {
        "submitted": 1
    }
    application_services.applications_nudge_idle(now=timezone.now() + timedelta(days=60))
    assert application_selectors.applications_idle_count() == 1

    services.employment_hire(actor=liaison_a, application=accepted_application(vacancy))
    assert selectors.employment_active_count(school=vacancy.school) == 1
    assert selectors.employment_list_for_bureau(user=bureau_xihu_user).count() == 1
    assert selectors.internship_agreements_waiting_count() == 0
