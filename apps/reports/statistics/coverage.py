"""'Every school has a foreign teacher': coverage per district and level, and cluster sharing."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from apps.core.selectors import policy_settings_get
from apps.employment.models import EmploymentSchool
from apps.schools.models import School, VerificationStatus

from .common import CITY, Jurisdiction, employed_on, name_fields, pick_name, ratio


@dataclass(frozen=True)
class CoverageRow:
    key: str
    label: str
    schools: int
    covered: int

    @property
    def ratio(self) -> Decimal | None:
        return ratio(self.covered, self.schools)


@dataclass(frozen=True)
class Coverage:
    """Verified schools with at least one foreign teacher on a date, against the city target."""

    schools: int
    covered: int
    target: Decimal
    by_district: list[CoverageRow]
    by_type: list[CoverageRow]

    @property
    def ratio(self) -> Decimal | None:
        return ratio(self.covered, self.schools)


def covered_school_ids(on: date):
    """Return a subquery of the schools naming a running contract (cluster members included)."""
    return EmploymentSchool.objects.filter(
        employment__in=employed_on(CITY, on).values("pk")
    ).values("school_id")


def _coverage_rows(schools, path: str, on: date) -> list[CoverageRow]:
    rows = (
        schools.values(f"{path}__code", f"{path}__sort_order", *name_fields(path))
        .annotate(
            schools=Count("pk"),
            covered=Count("pk", filter=Q(pk__in=covered_school_ids(on))),
        )
        .order_by(f"{path}__sort_order", f"{path}__code")
    )
    return [
        CoverageRow(row[f"{path}__code"], pick_name(row, path), row["schools"], row["covered"])
        for row in rows
    ]


def coverage(jurisdiction: Jurisdiction, on: date) -> Coverage:
    """Count verified schools and those with a foreign teacher, per district and school type."""
    schools = School.objects.filter(verification_status=VerificationStatus.VERIFIED).order_by()
    if not jurisdiction.is_city:
        schools = schools.filter(district_id=jurisdiction.district.pk)
    by_district = _coverage_rows(schools, "district", on)
    by_type = _coverage_rows(schools, "school_type", on)
    target = Decimal(policy_settings_get().coverage_target_percent) / 100
    return Coverage(
        schools=sum(row.schools for row in by_district),
        covered=sum(row.covered for row in by_district),
        target=target,
        by_district=by_district,
        by_type=by_type,
    )


@dataclass(frozen=True)
class ClusterSharing:
    """Teachers shared through cluster contracts on a date and the schools they teach at."""

    contracts: int
    teachers: int
    schools: int


def cluster_sharing(jurisdiction: Jurisdiction, on: date) -> ClusterSharing:
    """Count cluster contracts running on the date, their teachers and the schools covered."""
    running = employed_on(jurisdiction, on).filter(cluster__isnull=False).values("pk")
    counts = EmploymentSchool.objects.filter(employment__in=running).aggregate(
        contracts=Count("employment_id", distinct=True),
        teachers=Count("employment__teacher_id", distinct=True),
        schools=Count("school_id", distinct=True),
    )
    return ClusterSharing(**counts)
