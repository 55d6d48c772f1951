"""Quality over a year: quarterly evaluations, satisfaction, star levels and credit records."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext

from apps.credit.models import CreditRecord, RecordKind, RecordStatus, Severity, TeacherStarLevel
from apps.evaluations.models import (
    Dimension,
    EvaluationRound,
    EvaluationStatus,
    SurveyDirection,
)
from apps.evaluations.models import Evaluation as EvaluationModel
from apps.evaluations.selectors.evaluations import late_q
from apps.evaluations.selectors.surveys import SurveyTable, survey_table
from apps.schools.models import School

from .common import Jurisdiction, Row, employed_on

SCORE_FIELDS = {dimension: f"{dimension.value}_score" for dimension in Dimension}


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class QuarterRow:
    quarter: str
    due: int
    submitted: int
    late: int


@dataclass(frozen=True)
class EvaluationFigures:
    """The year's quarterly evaluations: due, submitted, late, and the mean of each dimension."""

    due: int
    submitted: int
    late: int
    means: list[tuple[str, str, Decimal | None]]
    by_quarter: list[QuarterRow]
    incidents: int


def evaluation_figures(jurisdiction: Jurisdiction, year: int, today: date) -> EvaluationFigures:
    """Count the evaluations of the year's rounds by state and average the submitted scores."""
    evaluations = EvaluationModel.objects.filter(
        jurisdiction.q("school"), round__starts_on__year=year
    ).order_by()
    submitted = Q(status=EvaluationStatus.SUBMITTED)
    rows = (
        evaluations.values("round__quarter")
        .annotate(
            due=Count("pk"),
            submitted=Count("pk", filter=submitted),
            late=Count("pk", filter=late_q(today)),
        )
        .order_by("round__quarter")
    )
    by_quarter = [
        QuarterRow(row["round__quarter"], row["due"], row["submitted"], row["late"]) for row in rows
    ]
    means = evaluations.filter(submitted).aggregate(
        incidents=Count("pk", filter=Q(serious_incident=True)),
        **{dimension.value: Avg(field) for dimension, field in SCORE_FIELDS.items()},
    )
    return EvaluationFigures(
        due=sum(row.due for row in by_quarter),
        submitted=sum(row.submitted for row in by_quarter),
        late=sum(row.late for row in by_quarter),
        means=[(d.value, str(d.label), _mean(means[d.value])) for d in Dimension],
        by_quarter=by_quarter,
        incidents=means["incidents"],
    )


@dataclass(frozen=True)
class Satisfaction:
    """Both satisfaction surveys of the year's rounds, each cell under the threshold withheld."""

    teachers_about_schools: SurveyTable
    schools_about_teachers: SurveyTable


def satisfaction(jurisdiction: Jurisdiction, year: int) -> Satisfaction:
    """Aggregate the year's survey answers in the jurisdiction (evaluations' privacy rule)."""
    rounds = list(EvaluationRound.objects.filter(starts_on__year=year).order_by("-starts_on"))
    where = Q()
    if not jurisdiction.is_city:
        where = Q(response__evaluation__school__district_id=jurisdiction.district.pk)
    return Satisfaction(
        teachers_about_schools=survey_table(
            direction=SurveyDirection.TEACHER_ABOUT_SCHOOL, where=where, rounds=rounds
        ),
        schools_about_teachers=survey_table(
            direction=SurveyDirection.SCHOOL_ABOUT_TEACHER, where=where, rounds=rounds
        ),
    )


def star_levels(jurisdiction: Jurisdiction, on: date) -> list[Row]:
    """Count the teachers employed on the date by their current star level (none included)."""
    teachers = employed_on(jurisdiction, on).values("teacher_id")
    counts = dict(
        TeacherStarLevel.objects.filter(teacher_id__in=teachers, level__isnull=False)
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return [Row(str(level), "★" * level, counts.get(level, 0)) for level in range(1, 6)]


@dataclass(frozen=True)
class CreditFigures:
    """Credit records in force on a date, by subject (teacher or school), kind and severity."""

    teacher_commendations: int
    teacher_restrictions: dict[str, int]
    school_commendations: int
    school_restrictions: dict[str, int]

    def rows(self) -> list[tuple[str, int, int]]:
        """Return (label, teachers, schools) rows for tables."""
        rows = [(gettext("Commendations"), self.teacher_commendations, self.school_commendations)]
        for severity in Severity:
            label = gettext("Restrictions: %(severity)s") % {"severity": severity.label}
            rows.append(
                (
                    label,
                    self.teacher_restrictions[severity.value],
                    self.school_restrictions[severity.value],
                )
            )
        return rows


def credit_figures(jurisdiction: Jurisdiction, on: date) -> CreditFigures:
    """Count the credit records in force on the date (no names) by kind and severity.

    A district counts its schools' records and the records of teachers employed there on the
    date; the city counts every record in force.
    """
    records = CreditRecord.objects.filter(
        status=RecordStatus.ACTIVE, starts_on__lte=on, display_until__gte=on
    ).order_by()
    if not jurisdiction.is_city:
        records = records.filter(
            Q(school__in=School.objects.filter(district_id=jurisdiction.district.pk))
            | Q(teacher_id__in=employed_on(jurisdiction, on).values("teacher_id"))
        )
    columns = {}
    for subject in ("teacher", "school"):
        is_subject = Q(**{f"{subject}__isnull": False})
        columns[f"{subject}_commendation"] = Count(
            "pk", filter=is_subject & Q(kind=RecordKind.COMMENDATION)
        )
        for severity in Severity:
            columns[f"{subject}_{severity.value}"] = Count(
                "pk", filter=is_subject & Q(kind=RecordKind.NEGATIVE, severity=severity.value)
            )
    counts = records.aggregate(**columns)
    return CreditFigures(
        teacher_commendations=counts["teacher_commendation"],
        teacher_restrictions={s.value: counts[f"teacher_{s.value}"] for s in Severity},
        school_commendations=counts["school_commendation"],
        school_restrictions={s.value: counts[f"school_{s.value}"] for s in Severity},
    )
