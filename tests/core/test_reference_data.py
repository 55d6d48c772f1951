import pytest
from django.db import IntegrityError
from django.utils import translation

from apps.core.models import District, Language, SchoolType, Subject


@pytest.mark.django_db
def test_all_hangzhou_jurisdictions_are_loaded_bilingually():
    codes = set(District.objects.values_list("code", flat=True))

    assert len(codes) == 14
    assert {"330106", "330182", "330100-WL"} <= codes
    west_lake = District.objects.get(code="330100-WL")
    with translation.override("zh-hans"):
        assert west_lake.name == "西湖风景名胜区"
    with translation.override("en"):
        assert west_lake.name == "West Lake Scenic Area"


@pytest.mark.django_db
def test_nine_and_twelve_year_schools_span_their_levels():
    def levels(code):
        return set(SchoolType.objects.get(code=code).levels.values_list("code", flat=True))

    assert levels("nine_year") == {"primary", "junior_secondary"}
    assert levels("twelve_year") == {"primary", "junior_secondary", "senior_secondary"}


@pytest.mark.django_db
def test_english_native_speaker_countries_follow_the_policy_list():
    english = Language.objects.get(code="en")

    assert {c.code for c in english.native_countries} == {"US", "GB", "CA", "AU", "NZ", "IE", "ZA"}
    assert set(Subject.objects.filter(language=english).values_list("code", flat=True)) == {
        "oral_english",
        "english",
    }


@pytest.mark.django_db
def test_a_language_subject_must_name_its_language():
    with pytest.raises(IntegrityError):
        Subject.objects.create(code="latin", name="Latin", group="language", language=None)
