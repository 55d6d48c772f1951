from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.employment import services
from apps.employment.models import AgreementStatus, ChangeKind, ExchangeVisit
from apps.teachers.models import Category
from tests.applications.factories import accepted_application
from tests.schools.factories import PartnerSchoolFactory
from tests.teachers.factories import make_eligible_teacher

TODAY = date(2026, 11, 21)


def _pdf():
    return SimpleUploadedFile("agreement.pdf", b"%PDF-1.4 agreement")


@pytest.fixture
def intern_application(vacancy):
    intern = make_eligible_teacher(
        category=Category.INTERN,
        intern_university="University of Leeds",
        intern_expected_graduation=date(2028, 7, 1),
    )
    application = accepted_application(vacancy, intern)
    # Six calendar months from 20 Feb 2027 end on 20 Aug 2027.
    application.offer.contract_end = date(2027, 8, 20)
    application.offer.save()
    return application


@time_machine.travel(TODAY, tick=False)
def test_intern_hire_needs_an_approved_agreement(intern_application, liaison_a, center_user):
    with pytest.raises(ValidationError, match="agreement"):
        services.employment_hire(actor=liaison_a, application=intern_application)

    agreement = services.internship_agreement_submit(
        actor=liaison_a,
        application=intern_application,
        university="University of Leeds",
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 12, 31),
        file=_pdf(),
    )
    with pytest.raises(PermissionDenied):
        services.internship_agreement_decide(actor=liaison_a, agreement=agreement, approve=True)
    services.internship_agreement_decide(actor=center_user, agreement=agreement, approve=True)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED

    employment = services.employment_hire(actor=liaison_a, application=intern_application)
    assert employment.is_intern


@time_machine.travel(TODAY, tick=False)
def test_intern_limits_are_calendar_months_with_one_extension_to_the_maximum(
    intern_application, liaison_a, center_user
):
    agreement = services.internship_agreement_submit(
        actor=liaison_a,
        application=intern_application,
        university="University of Leeds",
        starts_on=date(2027, 2, 1),
        ends_on=date(2028, 1, 31),
        file=_pdf(),
    )
    services.internship_agreement_decide(actor=center_user, agreement=agreement, approve=True)
    offer = intern_application.offer
    offer.contract_end = date(2027, 8, 21)  # six months and a day
    offer.save()
    with pytest.raises(ValidationError, match="at most 6 months"):
        services.employment_hire(actor=liaison_a, application=intern_application)
    offer.contract_end = date(2027, 8, 20)
    offer.save()
    employment = services.employment_hire(actor=liaison_a, application=intern_application)

    def extend(to):
        return services.employment_change_record(
            actor=liaison_a,
            employment=employment,
            kind=ChangeKind.INTERNSHIP_EXTENDED,
            effective_on=TODAY,
            new_contract_end=to,
        )

    with pytest.raises(ValidationError, match="at most 12 months"):
        extend(date(2028, 2, 21))
    extend(date(2028, 2, 20))
    with pytest.raises(ValidationError, match="extended, not renewed"):
        services.employment_change_record(
            actor=liaison_a,
            employment=employment,
            kind=ChangeKind.RENEWAL,
            effective_on=TODAY,
            new_contract_end=date(2028, 2, 20),
        )


def test_agreement_beyond_the_maximum_is_refused(intern_application, liaison_a):
    with pytest.raises(ValidationError):
        services.internship_agreement_submit(
            actor=liaison_a,
            application=intern_application,
            university="University of Leeds",
            starts_on=date(2027, 2, 1),
            ends_on=date(2028, 2, 2),
            file=_pdf(),
        )


def _visit(actor, partner, arrival, departure):
    return services.exchange_visit_register(
        actor=actor,
        partner_school=partner,
        visitor_name="Tom Baker",
        nationality="GB",
        passport_number="ab1234567",
        arrival=arrival,
        departure=departure,
        purpose="Sister-school exchange",
    )


def test_a_visit_of_three_months_passes_and_three_months_and_a_day_is_refused(school_a, liaison_a):
    partner = PartnerSchoolFactory(school=school_a)

    with pytest.raises(ValidationError, match="at most 3 months"):
        _visit(liaison_a, partner, date(2026, 11, 30), date(2027, 3, 1))
    visit = _visit(liaison_a, partner, date(2026, 11, 30), date(2027, 2, 28))

    assert visit.passport_number == "AB1234567"
    assert visit.passport_masked.endswith("567") and "AB12" not in visit.passport_masked
    assert ExchangeVisit.objects.count() == 1


def test_a_school_cannot_register_a_visit_from_another_schools_partner(school_b, liaison_a):
    with pytest.raises(PermissionDenied):
        _visit(liaison_a, PartnerSchoolFactory(school=school_b), date(2027, 1, 1), date(2027, 2, 1))


@time_machine.travel(TODAY, tick=False)
def test_intern_pages_show_the_limits_and_the_agreement_form(
    client, intern_application, liaison_a, center_user
):
    client.force_login(liaison_a)
    page = client.get(f"/en/applications/school/{intern_application.code}/")
    assert b"/employment/agreement/" in page.content

    response = client.post(
        f"/en/employment/agreement/{intern_application.code}/",
        {
            "university": "University of Leeds",
            "starts_on": "2027-02-01",
            "ends_on": "2027-12-31",
            "file": _pdf(),
        },
    )
    assert response.status_code == 302
    agreement = intern_application.teacher.internship_agreements.get()
    services.internship_agreement_decide(actor=center_user, agreement=agreement, approve=True)
    employment = services.employment_hire(actor=liaison_a, application=intern_application)

    warning = client.get(employment.get_absolute_url()).content.decode()
    assert "2027-08-20" in warning and "2028-02-20" in warning


def _submit(intern_application, liaison, file):
    return services.internship_agreement_submit(
        actor=liaison,
        application=intern_application,
        university="University of Leeds",
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 12, 31),
        file=file,
    )


@time_machine.travel(TODAY, tick=False)
def test_an_agreement_that_is_not_a_pdf_or_image_is_refused(intern_application, liaison_a):
    fake = SimpleUploadedFile("agreement.pdf", b"<html><script>alert(1)</script></html>")

    with pytest.raises(ValidationError) as error:
        _submit(intern_application, liaison_a, fake)

    assert "file" in error.value.message_dict


@time_machine.travel(TODAY, tick=False)
def test_center_staff_download_the_agreement_from_admin_audited(
    client, intern_application, liaison_a, center_user
):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from apps.core.models import AuditEvent

    agreement = _submit(intern_application, liaison_a, _pdf())
    url = reverse("admin:employment_internshipagreement_file", args=[agreement.code])

    client.force_login(liaison_a)
    refused = client.get(url)
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    response = client.get(url)

    assert refused.status_code == 302  # school staff are sent to the admin login
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="internship_agreement.file", actor=center_user).exists()


def test_no_agreement_for_a_closed_application(intern_application, liaison_a):
    intern_application.status = "withdrawn"
    intern_application.save()

    with pytest.raises(ValidationError, match="closed"):
        services.internship_agreement_submit(
            actor=liaison_a,
            application=intern_application,
            university="University of Leeds",
            starts_on=date(2027, 2, 20),
            ends_on=date(2027, 8, 20),
            file=_pdf(),
        )
    assert not intern_application.teacher.internship_agreements.exists()


def test_a_blacklisted_school_cannot_register_a_visit(school_a, liaison_a, center_user):
    from tests.credit.factories import restriction_create

    restriction_create(school=school_a, reason="Illegal employment", starts_on=date(2020, 1, 1))

    with pytest.raises(ValidationError, match="credit restriction"):
        _visit(liaison_a, PartnerSchoolFactory(school=school_a), date(2027, 1, 1), date(2027, 2, 1))
    assert not ExchangeVisit.objects.exists()


@time_machine.travel(date(2026, 11, 1), tick=False)
def test_the_visit_csv_reads_arrival_and_departure_dates_in_chinese(
    admin_client, school_a, liaison_a
):
    from django.urls import reverse
    from django.utils import translation

    visit = _visit(
        liaison_a, PartnerSchoolFactory(school=school_a), date(2026, 11, 30), date(2027, 1, 5)
    )

    with translation.override("zh-hans"):
        url = reverse("admin:employment_exchangevisit_changelist")
    response = admin_client.post(
        url,
        {"action": "export_csv", "_selected_action": [visit.pk]},
    )

    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.endswith("到达日期,离开日期")
