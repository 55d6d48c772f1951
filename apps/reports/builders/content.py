"""The annual report's content: sections of tables and charts, built from the statistics.

The XLSX and PDF builders only lay this out, so both files always show the same numbers. No
personal data: counts and means only, and counts of people under the privacy threshold are
withheld (shown as "<N").
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.core.selectors import policy_settings_get

from .. import statistics as stats
from ..charts import HEADLINE_LABELS, Chart
from ..statistics import EXPIRY_WINDOWS, Jurisdiction

INT, PERCENT, DECIMAL, TEXT = "int", "percent", "decimal", "text"


@dataclass
class Table:
    """A table: a title, typed columns and rows (the first column is the row's label)."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[list]
    total: list | None = None


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    """Everything one annual report says, in the language active when it was made."""

    title: str
    subtitle: str
    year: int
    jurisdiction: Jurisdiction
    on: date
    sections: list[Section]
    threshold: int

    def fingerprint(self) -> str:
        """Return a hash of the figures, so unchanged data gives the same report."""
        payload = [[section.key, [asdict(t) for t in section.tables]] for section in self.sections]
        text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


class Withheld(str):
    """A count under the privacy threshold, shown as "<N" instead of the number."""


def _people(count: int, threshold: int):
    if 0 < count < threshold:
        return Withheld(f"<{threshold}")
    return count


def _rows(rows, threshold: int | None = None) -> list[list]:
    return [
        [row.label, row.count if threshold is None else _people(row.count, threshold)]
        for row in rows
    ]


def _chart(key: str, title: str, rows, name: str) -> Chart:
    return Chart(key, title, [r.label for r in rows], [(name, [r.count for r in rows])])


def build_report(jurisdiction: Jurisdiction, year: int, today: date) -> Report:
    """Read every figure of the year for the jurisdiction and lay it out as sections."""
    threshold = policy_settings_get().survey_privacy_threshold
    on = stats.reference_date(year, today)
    teachers = _("Teachers")
    count_col = [(teachers, INT)]
    sections: list[Section] = []

    headline = stats.headline_figures(jurisdiction, year, today)
    overview = Table(
        _("Headline figures"),
        [(_("Figure"), TEXT), (str(year), INT), (str(year - 1), INT), (_("Change"), PERCENT)],
        [],
    )
    for key, label in HEADLINE_LABELS.items():
        if key != "coverage":
            figure = headline[key]
            overview.rows.append([str(label), figure.current, figure.previous, figure.change])
    coverage_headline = headline["coverage"]
    overview_coverage = Table(
        str(HEADLINE_LABELS["coverage"]),
        [(_("Figure"), TEXT), (str(year), PERCENT), (str(year - 1), PERCENT)],
        [[_("Coverage"), coverage_headline.current, coverage_headline.previous]],
    )
    sections.append(
        Section(
            "overview",
            _("Overview"),
            [overview, overview_coverage],
            [
                Chart(
                    "headline",
                    _("This year and last year"),
                    [str(HEADLINE_LABELS[k]) for k in ("teachers", "hires", "departures")],
                    [
                        (
                            str(year),
                            [headline[k].current for k in ("teachers", "hires", "departures")],
                        ),
                        (
                            str(year - 1),
                            [headline[k].previous for k in ("teachers", "hires", "departures")],
                        ),
                    ],
                )
            ],
        )
    )

    profile = stats.teacher_profile(jurisdiction, on)
    by_type = stats.teachers_by_school_type(jurisdiction, on)
    subjects = stats.teachers_by_subject(jurisdiction, on)
    sections.append(
        Section(
            "teachers",
            _("Foreign teachers"),
            [
                Table(_("By category"), [(_("Category"), TEXT), *count_col],
                      _rows(profile.by_category), [_("Total"), profile.total]),
                Table(_("By school level"), [(_("School level"), TEXT), *count_col],
                      _rows(by_type), [_("Total"), profile.total]),
                Table(_("Public and private schools"), [(_("Schools"), TEXT), *count_col],
                      _rows(profile.by_ownership), [_("Total"), profile.total]),
                Table(_("By subject (a teacher may teach several)"),
                      [(_("Subject"), TEXT), *count_col], _rows(subjects)),
                Table(_("By gender"), [(_("Gender"), TEXT), *count_col],
                      _rows(profile.by_gender, threshold)),
                Table(_("By age"), [(_("Age"), TEXT), *count_col],
                      _rows(profile.by_age, threshold)),
            ],
            [
                _chart("category", _("Foreign teachers by category"), profile.by_category,
                       teachers),
                _chart("school_type", _("Foreign teachers by school level"), by_type, teachers),
            ],
        )
    )  # fmt: skip

    nationalities = stats.teachers_by_nationality(jurisdiction, on)
    sections.append(
        Section(
            "nationality",
            _("Nationality"),
            [
                Table(_("By continent"), [(_("Continent"), TEXT), *count_col],
                      _rows(nationalities.by_continent), [_("Total"), profile.total]),
                Table(_("Top countries"), [(_("Country"), TEXT), *count_col],
                      _rows(nationalities.top_countries, threshold)),
            ],
            [_chart("continent", _("Foreign teachers by continent of nationality"),
                    nationalities.by_continent, teachers)],
        )
    )  # fmt: skip

    coverage = stats.coverage(jurisdiction, on)
    by_district = {row.key: row.count for row in stats.teachers_by_district(jurisdiction, on)}
    coverage_columns = [
        (_("Verified schools"), INT),
        (_("With a foreign teacher"), INT),
        (_("Coverage"), PERCENT),
    ]
    district_table = Table(
        _("By district"),
        [(_("District"), TEXT), (teachers, INT), *coverage_columns],
        [
            [r.label, by_district.get(r.key, 0), r.schools, r.covered, r.ratio]
            for r in coverage.by_district
        ],
        [_("Total"), profile.total, coverage.schools, coverage.covered, coverage.ratio],
    )
    type_table = Table(
        _("By school level"),
        [(_("School level"), TEXT), *coverage_columns],
        [[r.label, r.schools, r.covered, r.ratio] for r in coverage.by_type],
    )
    cluster = stats.cluster_sharing(jurisdiction, on)
    cluster_table = Table(
        _("Teachers shared through clusters"),
        [(_("Figure"), TEXT), (_("Number"), INT)],
        [
            [_("Cluster contracts"), cluster.contracts],
            [_("Teachers"), cluster.teachers],
            [_("Schools they teach at"), cluster.schools],
        ],
    )
    sections.append(
        Section(
            "coverage",
            _("Coverage: every school has a foreign teacher"),
            [district_table, type_table, cluster_table],
            [
                Chart(
                    "coverage",
                    _("Coverage by district"),
                    [r.label for r in coverage.by_district],
                    [(_("Coverage"), [r.ratio for r in coverage.by_district])],
                    percent=True,
                )
            ],
            note=_("City target: %(target)s of verified schools.")
            % {"target": f"{coverage.target * 100:.0f}%"},
        )
    )

    vacancies = stats.vacancy_figures(jurisdiction, year)
    flow = stats.hires_and_departures(jurisdiction, year)
    matching = stats.matching_figures(jurisdiction, year)
    figure_cols = [(_("Figure"), TEXT), (_("Number"), DECIMAL)]
    sections.append(
        Section(
            "hiring",
            _("Vacancies and hiring"),
            [
                Table(
                    _("Vacancies"),
                    figure_cols,
                    [
                        [_("Published"), vacancies.posted],
                        [_("Posts published"), vacancies.posts],
                        [_("Filled"), vacancies.filled],
                        [_("Expired"), vacancies.expired],
                        [_("Closed"), vacancies.closed],
                        [_("Open at the end of the period"), vacancies.open_at_end],
                        [_("Median days to fill"), vacancies.median_days_to_fill],
                        [_("Applications"), vacancies.applications],
                        [_("Applications per vacancy"), vacancies.applications_per_vacancy],
                    ],
                ),
                Table(
                    _("Contracts and matching"),
                    figure_cols,
                    [
                        [_("Contracts started"), flow.hires],
                        [_("Contracts ended"), flow.departures],
                        [_("Suggestions pushed to schools"), matching.pushed],
                        [_("Suggestions that led to a hire"), matching.hired],
                    ],
                ),
            ],
            [
                Chart(
                    "vacancies",
                    _("Vacancies by outcome"),
                    [_("Published"), _("Filled"), _("Expired"), _("Closed")],
                    [
                        (
                            _("Vacancies"),
                            [vacancies.posted, vacancies.filled, vacancies.expired,
                             vacancies.closed],
                        )
                    ],
                )
            ],
        )
    )  # fmt: skip

    evaluations = stats.evaluation_figures(jurisdiction, year, today)
    enough = evaluations.submitted >= threshold
    means = [[label, mean if enough else None] for _key, label, mean in evaluations.means]
    satisfaction = stats.satisfaction(jurisdiction, year)
    survey_rows = []
    for direction, table in (
        (_("Teachers about schools"), satisfaction.teachers_about_schools),
        (_("Schools about teachers"), satisfaction.schools_about_teachers),
    ):
        for question, _cells, total in table.rows:
            survey_rows.append(
                [f"{direction}: {question.text}", total.count,
                 total.average if total.shown else None]
            )  # fmt: skip
    sections.append(
        Section(
            "evaluations",
            _("Quarterly evaluations and satisfaction"),
            [
                Table(
                    _("Evaluations by quarter"),
                    [(_("Quarter"), TEXT), (_("Due"), INT), (_("Submitted"), INT),
                     (_("Late"), INT)],
                    [[q.quarter, q.due, q.submitted, q.late] for q in evaluations.by_quarter],
                    [_("Total"), evaluations.due, evaluations.submitted, evaluations.late],
                ),
                Table(_("Mean score per dimension"),
                      [(_("Dimension"), TEXT), (_("Mean score"), DECIMAL)], means),
                Table(_("Satisfaction (mean score)"),
                      [(_("Question"), TEXT), (_("Answers"), INT), (_("Mean score"), DECIMAL)],
                      survey_rows),
            ],
            [
                Chart(
                    "evaluations",
                    _("Evaluations by quarter"),
                    [q.quarter for q in evaluations.by_quarter],
                    [(_("Submitted"), [q.submitted for q in evaluations.by_quarter]),
                     (_("Late"), [q.late for q in evaluations.by_quarter])],
                )
            ],
            note=_("Means and answers from fewer than %(n)s people are withheld.")
            % {"n": threshold},
        )
    )  # fmt: skip

    credit = stats.credit_figures(jurisdiction, on)
    stars = stats.star_levels(jurisdiction, on)
    sections.append(
        Section(
            "credit",
            _("Star levels and credit records"),
            [
                Table(_("Star levels of teachers employed"),
                      [(_("Star level"), TEXT), *count_col], _rows(stars, threshold)),
                Table(_("Credit records in force"),
                      [(_("Record"), TEXT), (_("Teachers"), INT), (_("Schools"), INT)],
                      [list(row) for row in credit.rows()]),
            ],
        )
    )  # fmt: skip

    expiring = stats.expiring(jurisdiction, on)
    window_cols = [(_("%(days)s days") % {"days": d}, INT) for d in EXPIRY_WINDOWS]
    sections.append(
        Section(
            "expiring",
            _("Contracts and permits expiring"),
            [
                Table(
                    _("Expiring within"),
                    [(_("What expires"), TEXT), *window_cols],
                    [
                        [_("Contracts"), *[expiring.contracts[d] for d in EXPIRY_WINDOWS]],
                        [_("Work permits"), *[expiring.work_permits[d] for d in EXPIRY_WINDOWS]],
                        [
                            _("Residence permits"),
                            *[expiring.residence_permits[d] for d in EXPIRY_WINDOWS],
                        ],
                    ],
                )
            ],
        )
    )

    visits = stats.exchange_visits(jurisdiction, year)
    interns = stats.internship_agreements(jurisdiction, year)
    sections.append(
        Section(
            "exchange",
            _("Exchange visits and interns"),
            [
                Table(
                    _("Short-term exchange visits"),
                    [(_("Figure"), TEXT), (_("Number"), INT)],
                    [
                        [_("Visits"), visits.visits],
                        [_("Host schools"), visits.host_schools],
                        [_("Partner schools"), visits.partner_schools],
                    ],
                ),
                Table(_("Visitors by country"), [(_("Country"), TEXT), (_("Visits"), INT)],
                      _rows(visits.by_country, threshold)),
                Table(
                    _("Interns"),
                    [(_("Figure"), TEXT), (_("Number"), INT)],
                    [
                        [_("Interns employed"), profile.interns],
                        [_("Internship agreements submitted"), interns.submitted],
                        [_("Approved"), interns.approved],
                        [_("Rejected"), interns.rejected],
                        [_("Waiting"), interns.waiting],
                    ],
                ),
            ],
        )
    )  # fmt: skip

    return Report(
        title=_("Annual report on foreign teachers, %(year)s") % {"year": year},
        subtitle=jurisdiction.label,
        year=year,
        jurisdiction=jurisdiction,
        on=on,
        sections=sections,
        threshold=threshold,
    )


def as_number(value) -> float | int | None:
    """Return a cell value as a plain number for charts (None for withheld or missing)."""
    if value is None or isinstance(value, Withheld):
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value
