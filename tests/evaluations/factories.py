"""Employments and evaluations for the evaluation tests, written straight into the register."""

from datetime import date

from apps.core.dates import Quarter
from apps.employment.models import Employment, EmploymentSchool, EmploymentStatus
from apps.evaluations.models import Evaluation, EvaluationStatus
from apps.evaluations.services import evaluation_round_open
from apps.schools.models import SchoolGroup
from tests.teachers.factories import TeacherFactory


def make_employment(
    school,
    *,
    teacher=None,
    start=date(2026, 3, 1),
    end=date(2027, 2, 28),
    ended_on=None,
    hours=16,
    members=(),
) -> Employment:
    """An employment at `school`; `members` = ((school, hours), …) makes it a cluster contract."""
    teacher = teacher or TeacherFactory()
    cluster = None
    if members:
        cluster = SchoolGroup.objects.create(
            kind="cluster", name=f"Cluster of {school.name}", lead_school=school
        )
    employment = Employment.objects.create(
        teacher=teacher,
        school=school,
        cluster=cluster,
        salary=15000,
        contract_start=start,
        contract_end=end,
        weekly_hours=hours + sum(h for _s, h in members),
        housing="provided",
        hiring_channel="network",
        status=EmploymentStatus.ENDED if ended_on else EmploymentStatus.ACTIVE,
        ended_on=ended_on,
    )
    EmploymentSchool.objects.create(
        employment=employment, school=school, weekly_hours=hours, is_lead=True
    )
    for member, member_hours in members:
        EmploymentSchool.objects.create(
            employment=employment, school=member, weekly_hours=member_hours
        )
    return employment


def open_round(quarter: str = "2026Q3"):
    return evaluation_round_open(quarter=Quarter.parse(quarter)).round


def evaluation_for(employment, quarter: str = "2026Q3", school=None) -> Evaluation:
    round_ = open_round(quarter)
    return Evaluation.objects.select_related("round", "school", "teacher").get(
        round=round_, employment=employment, school=school or employment.school
    )


GOOD = {
    "law_compliance_score": 4,
    "law_compliance_comment": "遵守校规",
    "teaching_duties_score": 5,
    "teaching_duties_comment": "Lessons were lively.",
    "daily_conduct_score": 4,
    "daily_conduct_comment": "",
    "overall_comment": "很好",
    "serious_incident": False,
    "incident_description": "",
}


def submitted(evaluation, actor) -> Evaluation:
    from apps.evaluations.services import evaluation_save

    evaluation_save(actor=actor, evaluation=evaluation, values=GOOD, submit=True)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    return evaluation
