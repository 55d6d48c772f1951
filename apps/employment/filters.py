import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.filters import OrderingFilter
from apps.core.models import District
from apps.schools.filters import ReferenceChoiceFilter
from apps.vacancies.models import HiringChannel

from .models import Employment, EmploymentStatus, ExchangeVisit


class BureauEmploymentFilter(django_filters.FilterSet):
    """The bureau's employment register: search, status, district, intern, and a sort order."""

    q = django_filters.CharFilter(label=_("Teacher or school"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EmploymentStatus.choices)
    district = ReferenceChoiceFilter(
        label=_("District"), field_name="school__district", model=District
    )
    hiring_channel = django_filters.ChoiceFilter(
        label=_("Hiring channel"), choices=HiringChannel.choices
    )
    is_intern = django_filters.BooleanFilter(label=_("Internship"))
    sort = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("contract_start", "start"),
            ("contract_end", "end"),
            ("created_at", "hired"),
            ("status", "status"),
        ),
        field_labels={
            "contract_start": _("Contract start"),
            "contract_end": _("Contract end"),
            "created_at": _("Date hired"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = Employment
        fields = ["q", "status", "district", "hiring_channel", "is_intern"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(teacher__legal_name__icontains=value)
            | Q(school__name_zh_hans__icontains=value)
            | Q(school__name_en__icontains=value)
        )


class BureauVisitFilter(django_filters.FilterSet):
    """The bureau's exchange visits: district, year of arrival, and a sort order."""

    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="school__district", queryset=District.objects.all()
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="arrival", lookup_expr="year")
    sort = OrderingFilter(
        label=_("Sort by"),
        fields=(("arrival", "arrival"), ("departure", "departure")),
        field_labels={
            "arrival": pgettext_lazy("arrival date", "Arrival"),
            "departure": pgettext_lazy("departure date", "Departure"),
        },
    )

    class Meta:
        model = ExchangeVisit
        fields = ["district", "year"]
