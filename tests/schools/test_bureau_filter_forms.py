"""The bureau lists' filter forms: drawn without crispy or a query.

The district and school-type filters take their choices from the cache and must behave as the
ModelChoiceFilter they replace.
"""

import django_filters
import pytest
from django.http import QueryDict

from apps.core.models import District, SchoolType
from apps.core.templatetags.bootstrap_fields import bootstrap_widget
from apps.schools.filters import SchoolFilter
from apps.schools.models import School
from apps.vacancies.filters import BureauVacancyFilter

pytestmark = pytest.mark.django_db


def test_district_filter_reads_no_database_once_cached(django_assert_num_queries):
    BureauVacancyFilter(QueryDict("")).form["district"].as_widget()  # fills the cache
    with django_assert_num_queries(0):
        html = str(bootstrap_widget(BureauVacancyFilter(QueryDict("district=3")).form["district"]))
    assert '<option value="3" selected>' in html


class _ModelChoiceSchoolFilter(SchoolFilter):
    """The filter as it was: districts and school types as ModelChoiceFilter."""

    district = django_filters.ModelChoiceFilter(queryset=District.objects.all())
    school_type = django_filters.ModelChoiceFilter(queryset=SchoolType.objects.all())


@pytest.mark.parametrize(
    "query", ["", "district=3", "district=999999", "school_type=junior_secondary", "district=x"]
)
def test_reference_filters_behave_as_model_choice_filters(query, school_a, school_b):
    cached = SchoolFilter(QueryDict(query), queryset=School.objects.all())
    model = _ModelChoiceSchoolFilter(QueryDict(query), queryset=School.objects.all())
    assert cached.is_valid() == model.is_valid()
    assert cached.form.errors == model.form.errors
    assert list(cached.qs) == list(model.qs)
    for name in ("district", "school_type"):
        assert str(cached.form[name]) == str(model.form[name])
