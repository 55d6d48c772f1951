"""Background work is queued only after commit: a rolled-back transaction queues nothing."""

import re
from datetime import date
from pathlib import Path

import pytest
from celery.app.task import Task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tests.evaluations.factories import make_employment
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory
from tests.vacancies.factories import VacancyFactory


class Rollback(Exception):
    pass


@pytest.fixture
def queued(monkeypatch):
    """The names of the tasks published (nothing runs)."""
    names: list[str] = []

    def apply_async(self, args=None, kwargs=None, **options):
        names.append(self.name)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return names


def _match_run(center_user, **_):
    from apps.matching.services import match_run_start

    match_run_start(actor=center_user)


def _notification(teacher_user, **_):
    from apps.notifications.services import notify

    notify(recipient=teacher_user, kind="test", title="Your documents were checked")


def _report(bureau_city_user, **_):
    from apps.reports.services import report_request

    report_request(actor=bureau_city_user, year=timezone.localdate().year - 1)


def _invitation(**_):
    from apps.schools.services import school_invitation_create

    liaison = SchoolMembershipFactory(is_liaison=True)
    school_invitation_create(
        actor=liaison.user, school=liaison.school, email="new.colleague@example.org"
    )


def _vacancy_approval(center_user, **_):
    from apps.vacancies.models import VacancyStatus
    from apps.vacancies.services import vacancy_approve

    vacancy_approve(actor=center_user, vacancy=VacancyFactory(status=VacancyStatus.SUBMITTED))


def _star_rule(center_user, **_):
    from apps.credit.models import StarRule
    from apps.credit.services import star_rule_save

    star_rule_save(actor=center_user, rule=StarRule.objects.order_by("pk").first())


def _evaluation_round(**_):
    from apps.core.dates import Quarter
    from apps.evaluations.services import evaluation_round_open

    make_employment(SchoolFactory(), start=date(2026, 3, 1), end=date(2027, 2, 28))
    evaluation_round_open(quarter=Quarter.parse("2026Q3"))


def _export(center_user, **_):
    from apps.exchange.services import export_job_request

    export_job_request(dataset="schools", format="csv", actor=center_user)


SERVICES = {
    "matching.execute_run": _match_run,
    "notifications.send_notification_email": _notification,
    "reports.build_report": _report,
    "schools.send_invitation_email": _invitation,
    "vacancies.send_saved_search_alerts": _vacancy_approval,
    "credit.recompute_star_levels": _star_rule,
    "evaluations.send_reminders": _evaluation_round,
    "exchange.run_export": _export,
}


@pytest.mark.parametrize("task_name", SERVICES)
@pytest.mark.parametrize("outcome", ["commit", "rollback"])
def test_a_task_is_queued_only_when_its_transaction_commits(
    task_name,
    outcome,
    queued,
    django_capture_on_commit_callbacks,
    center_user,
    teacher_user,
    bureau_city_user,
):
    actors = {
        "center_user": center_user,
        "teacher_user": teacher_user,
        "bureau_city_user": bureau_city_user,
    }
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                SERVICES[task_name](**actors)
                if outcome == "rollback":
                    raise Rollback
        except Rollback:
            pass
    if outcome == "commit":
        assert task_name in queued
    else:
        assert queued == []


# Queuing a task from application code: `.delay_on_commit(…)`, or `.delay(…)`/`.apply_async(…)`
# inside `transaction.on_commit(…)` on the same line.
DIRECT_QUEUE = re.compile(r"\.(delay|apply_async)\(")


def test_no_service_queues_a_task_outside_on_commit():
    offenders = []
    for path in sorted((Path(settings.BASE_DIR) / "apps").rglob("*.py")):
        if "migrations" in path.parts or path.name == "tasks.py":
            continue  # a task queuing its follow-up runs after its own work committed
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if DIRECT_QUEUE.search(line) and "on_commit(" not in line:
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert not offenders, "queue tasks with delay_on_commit:\n" + "\n".join(offenders)
