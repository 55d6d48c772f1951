import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import District, Subject, TeachingLevel
from apps.teachers.models import Category

from .models import Housing, Vacancy, category_bit

ORDERINGS = {
    "newest": ["-published_at", "-id"],
    "salary": ["-salary_max", "-id"],
    "start": ["contract_start", "-id"],
}


class PublicVacancyFilter(django_filters.FilterSet):
    """The public vacancy search; also what a saved search stores (its query string)."""

    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    subject = django_filters.ModelMultipleChoiceFilter(
        label=_("Subject"),
        field_name="subjects__code",
        to_field_name="code",
        queryset=Subject.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    district = django_filters.ModelMultipleChoiceFilter(
        label=_("District"),
        field_name="school__district__code",
        to_field_name="code",
        queryset=District.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    level = django_filters.ModelMultipleChoiceFilter(
        label=_("School level"),
        field_name="levels__code",
        to_field_name="code",
        queryset=TeachingLevel.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    salary_from = django_filters.NumberFilter(
        label=_("Salary at least (CNY/month)"), field_name="salary_max", lookup_expr="gte"
    )
    start_from = django_filters.DateFilter(
        label=_("Starting from"),
        field_name="contract_start",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_until = django_filters.DateFilter(
        label=_("Starting by"),
        field_name="contract_start",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
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
        fields: list[str] = []

    def filter_keyword(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title_en__icontains=word)
                | Q(title_zh_hans__icontains=word)
                | Q(description_en__icontains=word)
                | Q(school__name_en__icontains=word)
                | Q(school__name_zh_hans__icontains=word)
            )
        return queryset

    def filter_category(self, queryset, name, value):
        bit = category_bit(value)
        return queryset.alias(category_bit=F("accepted_categories").bitand(bit)).filter(
            category_bit=bit
        )

    def filter_kind(self, queryset, name, value):
        return queryset.filter(cluster__isnull=(value == "single"))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["newest"]))
