"""The headline figures of a year next to the year before (year-over-year change)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from apps.employment.models import ExchangeVisit
from apps.schools.models import School, VerificationStatus
from apps.vacancies.models import Vacancy

from .common import (
    Jurisdiction,
    change,
    employed_q,
    employments_for_aggregates,
    ratio,
    reference_date,
    year_dates,
    year_span,
)
from .coverage import covered_school_ids


@dataclass(frozen=True)
class Headline:
    """One headline figure in a year and the year before."""

    key: str
    current: int | Decimal | None
    previous: int | Decimal | None

    @property
    def change(self) -> Decimal | None:
        return change(self.current, self.previous)


HEADLINE_KEYS = (
    "teachers",
    "covered_schools",
    "coverage",
    "hires",
    "departures",
    "vacancies_posted",
    "exchange_visits",
)


def headline_figures(jurisdiction: Jurisdiction, year: int, today: date) -> dict[str, Headline]:
    """Return the headline figures of the year and the year before (four queries)."""
    on, before = reference_date(year, today), reference_date(year - 1, today)
    first, last = year_dates(year)
    prev_first, prev_last = year_dates(year - 1)

    def in_year(field: str, start, end) -> Q:
        return Q(**{f"{field}__gte": start, f"{field}__lte": end})

    flows = employments_for_aggregates(jurisdiction).aggregate(
        teachers=Count("teacher_id", distinct=True, filter=employed_q(on)),
        teachers_before=Count("teacher_id", distinct=True, filter=employed_q(before)),
        hires=Count("pk", filter=in_year("contract_start", first, last)),
        hires_before=Count("pk", filter=in_year("contract_start", prev_first, prev_last)),
        departures=Count("pk", filter=in_year("ended_on", first, last)),
        departures_before=Count("pk", filter=in_year("ended_on", prev_first, prev_last)),
    )
    schools = School.objects.filter(verification_status=VerificationStatus.VERIFIED).order_by()
    if not jurisdiction.is_city:
        schools = schools.filter(district_id=jurisdiction.district.pk)
    covered = schools.aggregate(
        schools=Count("pk"),
        covered=Count("pk", filter=Q(pk__in=covered_school_ids(on))),
        covered_before=Count("pk", filter=Q(pk__in=covered_school_ids(before))),
    )
    start, end = year_span(year)
    prev_start, prev_end = year_span(year - 1)
    posted = (
        Vacancy.objects.filter(jurisdiction.q("school"))
        .order_by()
        .aggregate(
            current=Count("pk", filter=Q(published_at__gte=start, published_at__lt=end)),
            previous=Count("pk", filter=Q(published_at__gte=prev_start, published_at__lt=prev_end)),
        )
    )
    visits = (
        ExchangeVisit.objects.filter(jurisdiction.q("school"))
        .order_by()
        .aggregate(
            current=Count("pk", filter=in_year("arrival", first, last)),
            previous=Count("pk", filter=in_year("arrival", prev_first, prev_last)),
        )
    )
    # Coverage compares against today's verified schools both years: verification dates are
    # not a history of which schools existed then.
    figures = [
        Headline("teachers", flows["teachers"], flows["teachers_before"]),
        Headline("covered_schools", covered["covered"], covered["covered_before"]),
        Headline(
            "coverage",
            ratio(covered["covered"], covered["schools"]),
            ratio(covered["covered_before"], covered["schools"]),
        ),
        Headline("hires", flows["hires"], flows["hires_before"]),
        Headline("departures", flows["departures"], flows["departures_before"]),
        Headline("vacancies_posted", posted["current"], posted["previous"]),
        Headline("exchange_visits", visits["current"], visits["previous"]),
    ]
    return {figure.key: figure for figure in figures}
