"""Statistics for bureaus and the annual report: one function per figure, database aggregates.

Every function takes a Jurisdiction (the city or one district) and a date or a year, and
returns plain values (dataclasses of counts); none loops over rows in Python.
"""

from .common import CITY, Jurisdiction, Row, reference_date, suppressed
from .coverage import Coverage, CoverageRow, cluster_sharing, coverage
from .headline import HEADLINE_KEYS, Headline, headline_figures
from .hiring import (
    EXPIRY_WINDOWS,
    exchange_visits,
    expiring,
    hires_and_departures,
    internship_agreements,
    matching_figures,
    vacancy_figures,
)
from .people import (
    teacher_profile,
    teachers_by_district,
    teachers_by_nationality,
    teachers_by_school_type,
    teachers_by_subject,
)
from .quality import credit_figures, evaluation_figures, satisfaction, star_levels

__all__ = [
    "CITY",
    "EXPIRY_WINDOWS",
    "HEADLINE_KEYS",
    "Coverage",
    "CoverageRow",
    "Headline",
    "Jurisdiction",
    "Row",
    "cluster_sharing",
    "coverage",
    "credit_figures",
    "evaluation_figures",
    "exchange_visits",
    "expiring",
    "headline_figures",
    "hires_and_departures",
    "internship_agreements",
    "matching_figures",
    "reference_date",
    "satisfaction",
    "star_levels",
    "suppressed",
    "teacher_profile",
    "teachers_by_district",
    "teachers_by_nationality",
    "teachers_by_school_type",
    "teachers_by_subject",
    "vacancy_figures",
]
