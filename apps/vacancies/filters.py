from functools import partial

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.filters import OrderingFilter
from apps.core.forms import DateInput
from apps.core.models import District, Subject, TeachingLevel
from apps.core.selectors import reference_choices
from apps.schools.filters import ReferenceChoiceFilter
from apps.schools.models import School
from apps.teachers.models import Category

from .models import Housing, Vacancy, VacancyStatus, category_bit

ORDERINGS = {
    "newest": ["-published_at", "-id"],
    "salary": ["-salary_max", "-id"],
    "start": ["contract_start", "-id"],
}


class PublicSearchForm(forms.Form):
    """The search form: a date range that cannot match anything is said, not run silently."""

    def clean(self) -> dict:
        cleaned = super().clean()
        start_from, start_until = cleaned.get("start_from"), cleaned.get("start_until")
        if start_from and start_until and start_from > start_until:
            self.add_error(
                "start_until",
                _(
                    "“Starting by” is earlier than “Starting from”: swap the two dates or "
                    "clear one. The results below ignore “Starting by”."
                ),
            )
        return cleaned


class PublicVacancyFilter(django_filters.FilterSet):
    """The public vacancy search; also what a saved search stores (its query string)."""

    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    # Choices from the cached reference lists (no query to draw the form); each filter is a
    # semi-join, so a vacancy with two chosen subjects is found once without DISTINCT.
    subject = django_filters.MultipleChoiceFilter(
        label=_("Subject"),
        choices=partial(reference_choices, Subject),
        widget=forms.CheckboxSelectMultiple,
        method="filter_subject",
    )
    district = django_filters.MultipleChoiceFilter(
        label=_("District"),
        choices=partial(reference_choices, District),
        widget=forms.CheckboxSelectMultiple,
        method="filter_district",
    )
    level = django_filters.MultipleChoiceFilter(
        label=_("School level"),
        choices=partial(reference_choices, TeachingLevel),
        widget=forms.CheckboxSelectMultiple,
        method="filter_level",
    )
    salary_from = django_filters.NumberFilter(
        label=_("Salary at least (CNY/month)"), field_name="salary_max", lookup_expr="gte"
    )
    start_from = django_filters.DateFilter(
        label=_("Starting from"),
        field_name="contract_start",
        lookup_expr="gte",
        widget=DateInput(),
    )
    start_until = django_filters.DateFilter(
        label=_("Starting by"),
        field_name="contract_start",
        lookup_expr="lte",
        widget=DateInput(),
    )
    category = django_filters.ChoiceFilter(
        label=_("Open to my category"),
        choices=Category.choices,
        method="filter_category",
        empty_label=_("Any category"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Single school or cluster"),
        choices=[("single", _("One school")), ("cluster", _("Cluster (shared teacher)"))],
        method="filter_kind",
        empty_label=_("Either"),
    )
    housing = django_filters.MultipleChoiceFilter(
        label=_("Housing"), choices=Housing.choices, widget=forms.CheckboxSelectMultiple
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest")),
            ("salary", _("Highest salary")),
            ("start", _("Earliest start")),
        ],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Vacancy
        form = PublicSearchForm
        fields: list[str] = []

    def filter_keyword(self, queryset, name, value):
        # The vacancy's own texts are tested row by row while the index of the chosen order is
        # walked (a common word stops after a page); school names are one semi-join that
        # PostgreSQL answers from their trigram indexes.
        for word in value.split()[:8]:
            schools = School.objects.filter(
                Q(name_en__icontains=word) | Q(name_zh_hans__icontains=word)
            )
            queryset = queryset.filter(
                Q(title_en__icontains=word)
                | Q(title_zh_hans__icontains=word)
                | Q(description_en__icontains=word)
                | Q(school_id__in=schools.values("pk"))
            )
        return queryset

    def filter_subject(self, queryset, name, value):
        chosen = Vacancy.subjects.through.objects.filter(subject__code__in=value)
        return queryset.filter(pk__in=chosen.values("vacancy_id"))

    def filter_level(self, queryset, name, value):
        chosen = Vacancy.levels.through.objects.filter(teachinglevel__code__in=value)
        return queryset.filter(pk__in=chosen.values("vacancy_id"))

    def filter_district(self, queryset, name, value):
        return queryset.filter(school__district__code__in=value)

    def filter_category(self, queryset, name, value):
        bit = category_bit(value)
        return queryset.alias(category_bit=F("accepted_categories").bitand(bit)).filter(
            category_bit=bit
        )

    def filter_kind(self, queryset, name, value):
        return queryset.filter(cluster__isnull=(value == "single"))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["newest"]))


class BureauVacancyFilter(django_filters.FilterSet):
    """The bureau's vacancy list: search, status, district and a sort order."""

    q = django_filters.CharFilter(label=_("Title or school"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VacancyStatus.choices)
    district = ReferenceChoiceFilter(
        label=_("District"), field_name="school__district", model=District
    )
    sort = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("created_at", "created"),
            ("published_at", "published"),
            ("contract_start", "start"),
            ("salary_max", "salary"),
            ("status", "status"),
        ),
        field_labels={
            "created_at": _("Date created"),
            "published_at": _("Date published"),
            "contract_start": _("Contract start"),
            "salary_max": _("Salary"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = Vacancy
        fields = ["q", "status", "district"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title_zh_hans__icontains=value)
            | Q(title_en__icontains=value)
            | Q(school__name_zh_hans__icontains=value)
            | Q(school__name_en__icontains=value)
        )
