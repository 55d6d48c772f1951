"""Sort choices of the bureau lists read in the reader's language, "(descending)" included."""

import pytest
from django.utils import translation

from apps.employment.filters import BureauEmploymentFilter
from apps.schools.filters import SchoolFilter
from apps.vacancies.filters import BureauVacancyFilter


@pytest.mark.parametrize("filterset", [BureauEmploymentFilter, BureauVacancyFilter, SchoolFilter])
def test_descending_sort_labels_follow_the_active_language(db, filterset):
    def labels(language):
        # Built and read as a page would, in the reader's language.
        with translation.override(language):
            return {value: str(label) for value, label in filterset().form.fields["sort"].choices}

    chinese, english = labels("zh-hans"), labels("en")

    descending = [value for value in english if value.startswith("-")]
    assert descending
    for value in descending:
        assert english[value].endswith(" (descending)")
        assert chinese[value].endswith("（降序）")
        assert "descending" not in chinese[value]


def test_the_employments_list_offers_contract_start_descending_in_chinese(db):
    with translation.override("zh-hans"):
        choices = dict(BureauEmploymentFilter().form.fields["sort"].choices)

        assert str(choices["-start"]) == "合同开始日期（降序）"
