import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.filters import OrderingFilter
from apps.core.models import District, SchoolType
from apps.core.selectors import reference_choices

from .models import GroupKind, Ownership, School, SchoolGroup, VerificationStatus


class ReferenceChoiceFilter(django_filters.ChoiceFilter):
    """A filter on a reference row (a district, a school type) by id, as ModelChoiceFilter.

    It renders and validates as ModelChoiceFilter does, but takes its choices from the
    cache (reference_choices) instead of a query each time a form is drawn.
    """

    def __init__(self, *args, model: type, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]},
        )
        super().__init__(*args, choices=lambda: reference_choices(model, by="pk"), **kwargs)


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or licence number"), method="search")
    district = ReferenceChoiceFilter(label=_("District"), model=District)
    school_type = ReferenceChoiceFilter(label=_("School type"), model=SchoolType)
    ownership = django_filters.ChoiceFilter(label=_("Public or private"), choices=Ownership.choices)
    verification_status = django_filters.ChoiceFilter(
        label=_("Verification status"), choices=VerificationStatus.choices
    )
    sort = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("district__sort_order", "district"),
            ("created_at", "registered"),
            ("verification_status", "status"),
        ),
        field_labels={
            "name": _("Name"),
            "district__sort_order": _("District"),
            "created_at": _("Date registered"),
            "verification_status": _("Verification status"),
        },
    )

    class Meta:
        model = School
        fields = ["q", "district", "school_type", "ownership", "verification_status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name_zh_hans__icontains=value)
            | Q(name_en__icontains=value)
            | Q(licence_number__icontains=value)
        )


class SchoolGroupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Group or school name"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=GroupKind.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.all()
    )

    class Meta:
        model = SchoolGroup
        fields = ["q", "kind", "district"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(lead_school__name_zh_hans__icontains=value)
            | Q(lead_school__name_en__icontains=value)
        ).distinct()
