"""Date pickers get ISO values in every language: a browser ignores 2026/12/04 in a date input."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine
from django.utils import translation

from apps.applications.forms import OfferForm
from apps.core.forms import DateTimeInput
from apps.guidance.forms import StepMarkForm
from apps.guidance.models import EntryStatus
from apps.teachers.forms import DocumentUploadForm, PersonalForm
from apps.teachers.models import Teacher

DAY = date(2026, 12, 4)
ISO_VALUE = 'value="2026-12-04"'


def test_a_date_and_time_picker_gets_iso_values_in_chinese():
    with translation.override("zh-hans"):
        html = DateTimeInput().render("slot", datetime(2026, 12, 4, 10, 30))

    assert 'type="datetime-local"' in html
    assert 'value="2026-12-04T10:30"' in html


@time_machine.travel(datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_checklist_done_on_is_prefilled_with_today_in_chinese():
    with translation.override("zh-hans"):
        html = str(StepMarkForm()["done_on"])

    assert 'type="date"' in html
    assert ISO_VALUE in html


def test_offer_form_keeps_the_vacancy_dates_in_chinese():
    vacancy = SimpleNamespace(
        salary_max=20000,
        contract_start=DAY,
        contract_end=date(2027, 7, 15),
        weekly_hours=18,
        housing="",
        benefits="",
    )
    with translation.override("zh-hans"):
        form = OfferForm.for_vacancy(vacancy)
        start, end = str(form["contract_start"]), str(form["contract_end"])

    assert ISO_VALUE in start
    assert 'value="2027-07-15"' in end


def test_teacher_forms_show_saved_and_initial_dates_in_chinese():
    with translation.override("zh-hans"):
        personal = PersonalForm(instance=Teacher(date_of_birth=DAY))
        upload = DocumentUploadForm(initial={"expires_on": DAY})
        birth, expiry = str(personal["date_of_birth"]), str(upload["expires_on"])

    assert ISO_VALUE in birth
    assert ISO_VALUE in expiry


def test_an_iso_date_posted_in_chinese_is_accepted():
    with translation.override("zh-hans"):
        form = StepMarkForm(data={"status": EntryStatus.DONE, "done_on": "2026-12-04"})

        assert form.is_valid(), form.errors
    assert form.cleaned_data["done_on"] == DAY
