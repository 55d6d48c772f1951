"""Demand and flow over a year: vacancies, applications, matching, hires, expiries, visits."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from apps.applications.models import ApplicationStatus
from apps.employment.models import (
    AgreementStatus,
    ChangeKind,
    ExchangeVisit,
    InternshipAgreement,
)
from apps.matching.models import Recommendation
from apps.vacancies.models import Vacancy, VacancyStatus

from .common import (
    Jurisdiction,
    Row,
    employed_q,
    employments,
    employments_for_aggregates,
    latest_permit_expiry,
    ratio,
    year_dates,
    year_span,
)

EXPIRY_WINDOWS = (30, 60, 90)


@dataclass(frozen=True)
class VacancyFigures:
    """Vacancies published, filled, expired and closed in a year, and those open at its end."""

    posted: int
    posts: int
    filled: int
    expired: int
    closed: int
    open_at_end: int
    median_days_to_fill: Decimal | None
    applications: int

    @property
    def applications_per_vacancy(self) -> Decimal | None:
        if not self.posted:
            return None
        return (Decimal(self.applications) / self.posted).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _median_days_to_fill(filled) -> Decimal | None:
    # Portable median: count, then read the one or two middle values of the ordered durations
    # (two bounded queries; the same on PostgreSQL and SQLite).
    durations = filled.filter(published_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("closed_at") - F("published_at"), output_field=DurationField())
    )
    count = durations.count()
    if not count:
        return None
    middle = (count - 1) // 2
    values = list(durations.order_by("wait").values_list("wait", flat=True)[middle : middle + 2])
    if count % 2:
        values = values[:1]
    seconds = sum(_seconds(value) for value in values) / len(values)
    return (Decimal(seconds) / Decimal(86400)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _seconds(value) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # a backend returning microseconds


def vacancy_figures(jurisdiction: Jurisdiction, year: int) -> VacancyFigures:
    """Count the year's vacancies by outcome, their applications and the median days to fill."""
    start, end = year_span(year)
    vacancies = Vacancy.objects.filter(jurisdiction.q("school")).order_by()
    closed_in_year = Q(closed_at__gte=start, closed_at__lt=end)
    published_in_year = Q(published_at__gte=start, published_at__lt=end)
    counts = vacancies.aggregate(
        posted=Count("pk", filter=published_in_year),
        posts=Coalesce(Sum("posts", filter=published_in_year), 0),
        filled=Count("pk", filter=closed_in_year & Q(status=VacancyStatus.FILLED)),
        expired=Count("pk", filter=closed_in_year & Q(status=VacancyStatus.EXPIRED)),
        closed=Count("pk", filter=closed_in_year & Q(status=VacancyStatus.CLOSED)),
        open_at_end=Count(
            "pk",
            filter=Q(published_at__lt=end)
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
            & Q(status__in=[VacancyStatus.PUBLISHED, *_CLOSED_STATES]),
        ),
    )
    applications = vacancies.filter(published_in_year).aggregate(n=Count("applications"))["n"]
    median = _median_days_to_fill(vacancies.filter(closed_in_year, status=VacancyStatus.FILLED))
    return VacancyFigures(**counts, median_days_to_fill=median, applications=applications)


_CLOSED_STATES = (VacancyStatus.FILLED, VacancyStatus.EXPIRED, VacancyStatus.CLOSED)


@dataclass(frozen=True)
class FlowFigures:
    """Contracts that started and ended in a year."""

    hires: int
    departures: int


def hires_and_departures(jurisdiction: Jurisdiction, year: int) -> FlowFigures:
    """Count the contracts that started in the year and those that ended in it."""
    first, last = year_dates(year)
    counts = employments(jurisdiction).aggregate(
        hires=Count("pk", filter=Q(contract_start__gte=first, contract_start__lte=last)),
        departures=Count("pk", filter=Q(ended_on__gte=first, ended_on__lte=last)),
    )
    return FlowFigures(**counts)


@dataclass(frozen=True)
class MatchingFigures:
    """Matching suggestions the center pushed to schools in a year, and how many led to a hire."""

    pushed: int
    hired: int

    @property
    def hire_rate(self) -> Decimal | None:
        return ratio(self.hired, self.pushed)


def matching_figures(jurisdiction: Jurisdiction, year: int) -> MatchingFigures:
    """Count the suggestions pushed in the year and those whose application ended in a hire."""
    start, end = year_span(year)
    counts = (
        Recommendation.objects.filter(
            jurisdiction.q("vacancy__school"), pushed_at__gte=start, pushed_at__lt=end
        )
        .order_by()
        .aggregate(
            pushed=Count("pk"),
            hired=Count("pk", filter=Q(application__status=ApplicationStatus.HIRED)),
        )
    )
    return MatchingFigures(**counts)


@dataclass(frozen=True)
class Expiring:
    """Running contracts and permits that expire within 30, 60 and 90 days of a date."""

    contracts: dict[int, int]
    work_permits: dict[int, int]
    residence_permits: dict[int, int]


def expiring(jurisdiction: Jurisdiction, on: date) -> Expiring:
    """Count contracts, work and residence permits expiring within 30/60/90 days (one query)."""
    running = employments_for_aggregates(jurisdiction).filter(employed_q(on))
    running = running.annotate(
        work_expires=latest_permit_expiry(ChangeKind.WORK_PERMIT),
        residence_expires=latest_permit_expiry(ChangeKind.RESIDENCE_PERMIT),
    )
    columns = {}
    for days in EXPIRY_WINDOWS:
        until = on + timedelta(days=days)
        columns[f"contract_{days}"] = Count("pk", filter=Q(current_end__lte=until))
        columns[f"work_{days}"] = Count(
            "pk", filter=Q(work_expires__gte=on, work_expires__lte=until)
        )
        columns[f"residence_{days}"] = Count(
            "pk", filter=Q(residence_expires__gte=on, residence_expires__lte=until)
        )
    counts = running.aggregate(**columns)
    return Expiring(
        contracts={d: counts[f"contract_{d}"] for d in EXPIRY_WINDOWS},
        work_permits={d: counts[f"work_{d}"] for d in EXPIRY_WINDOWS},
        residence_permits={d: counts[f"residence_{d}"] for d in EXPIRY_WINDOWS},
    )


@dataclass(frozen=True)
class VisitFigures:
    """Short-term exchange visits that began in a year."""

    visits: int
    host_schools: int
    partner_schools: int
    by_country: list[Row]


def exchange_visits(jurisdiction: Jurisdiction, year: int) -> VisitFigures:
    """Count the year's exchange visits, the schools involved and visitors by country."""
    from django_countries import countries

    first, last = year_dates(year)
    visits = ExchangeVisit.objects.filter(
        jurisdiction.q("school"), arrival__gte=first, arrival__lte=last
    ).order_by()
    counts = visits.aggregate(
        visits=Count("pk"),
        host_schools=Count("school_id", distinct=True),
        partner_schools=Count("partner_school_id", distinct=True),
    )
    rows = visits.values("nationality").annotate(n=Count("pk")).order_by("-n", "nationality")
    return VisitFigures(
        **counts,
        by_country=[
            Row(row["nationality"], str(countries.name(row["nationality"])), row["n"])
            for row in rows[:10]
        ],
    )


@dataclass(frozen=True)
class InternFigures:
    """Internship agreements decided or waiting in a year (interns employed: TeacherProfile)."""

    submitted: int
    approved: int
    rejected: int
    waiting: int


def internship_agreements(jurisdiction: Jurisdiction, year: int) -> InternFigures:
    """Count the internship agreements submitted in the year by their status."""
    start, end = year_span(year)
    counts = (
        InternshipAgreement.objects.filter(
            jurisdiction.q("school"), created_at__gte=start, created_at__lt=end
        )
        .order_by()
        .aggregate(
            submitted=Count("pk"),
            approved=Count("pk", filter=Q(status=AgreementStatus.APPROVED)),
            rejected=Count("pk", filter=Q(status=AgreementStatus.REJECTED)),
            waiting=Count("pk", filter=Q(status=AgreementStatus.SUBMITTED)),
        )
    )
    return InternFigures(**counts)
