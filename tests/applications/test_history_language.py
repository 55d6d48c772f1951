"""History notes the system writes are read in the reader's language (issue 12, item 8)."""

import importlib
from datetime import timedelta

from django.apps import apps as django_apps
from django.utils import timezone, translation

from apps.applications import services
from apps.applications.models import ApplicationEvent, ApplicationNote, ApplicationStatus
from apps.notifications.models import Notification
from tests.applications.factories import (
    ApplicationFactory,
    OfferFactory,
    english_vacancy,
    offer_terms,
)


def test_an_interview_proposed_in_chinese_reads_in_english_on_the_teachers_page(
    client, liaison_a, school_a
):
    application = ApplicationFactory(
        vacancy=english_vacancy(school=school_a), status=ApplicationStatus.SHORTLISTED
    )
    when = timezone.now() + timedelta(days=3)

    with translation.override("zh-hans"):
        services.interview_propose(
            actor=liaison_a,
            application=application,
            slots=[services.SlotProposal(when, "on_site", "Room 3")],
        )
    client.force_login(application.teacher.user)
    page = client.get(f"/en/applications/mine/{application.code}/").content.decode()

    event = application.events.get(to_status=ApplicationStatus.INTERVIEW)
    assert (event.note, event.note_code) == ("", ApplicationNote.INTERVIEW_PROPOSED)
    assert "Please choose an interview time." in page
    assert "请选择面试时间" not in page


def test_an_offer_note_is_shown_in_each_readers_language(client, liaison_a, school_a):
    application = ApplicationFactory(
        vacancy=english_vacancy(school=school_a), status=ApplicationStatus.SHORTLISTED
    )
    with translation.override("en"):
        offer = services.offer_make(actor=liaison_a, application=application, terms=offer_terms())
    reply_by = offer.reply_by.isoformat()

    client.force_login(liaison_a)
    school_page = client.get(f"/zh-hans/applications/school/{application.code}/").content.decode()
    client.force_login(application.teacher.user)
    teacher_page = client.get(f"/en/applications/mine/{application.code}/").content.decode()

    assert f"请于 {reply_by} 前答复。" in school_page
    assert "Please reply by" not in school_page
    assert f"Please reply by {reply_by}." in teacher_page


def test_a_lapsed_offer_is_noted_and_announced_in_each_readers_language(liaison_a, school_a):
    liaison_a.language = "zh-hans"
    liaison_a.save(update_fields=["language"])
    offer = OfferFactory(
        application__vacancy=english_vacancy(school=school_a, created_by=liaison_a),
        reply_by=timezone.localdate() - timedelta(days=1),
    )
    application = offer.application
    teacher = application.teacher.user
    teacher.language = "en"
    teacher.save(update_fields=["language"])

    with translation.override("zh-hans"):
        assert services.offers_lapse(today=timezone.localdate()) == 1

    event = application.events.get(to_status=ApplicationStatus.DECLINED)
    assert event.note_params == {"reply_by": offer.reply_by.isoformat()}
    with translation.override("en"):
        assert event.note_text == f"The offer lapsed: no reply by {offer.reply_by.isoformat()}."
    with translation.override("zh-hans"):
        assert event.note_text.startswith("录用通知已失效")
    teacher_body = Notification.objects.get(recipient=teacher).body
    school_body = Notification.objects.get(recipient=liaison_a).body
    assert teacher_body.startswith("The offer lapsed")
    assert school_body.startswith("录用通知已失效")


def test_a_note_a_person_typed_stays_as_typed(liaison_a, school_a):
    application = ApplicationFactory(vacancy=english_vacancy(school=school_a))

    with translation.override("zh-hans"):
        services.application_reject(
            actor=liaison_a, application=application, reason="other", note="岗位要求有变化。"
        )

    event = application.events.get(to_status=ApplicationStatus.REJECTED)
    assert (event.note, event.note_code) == ("岗位要求有变化。", "")
    with translation.override("en"):
        assert event.note_text == "岗位要求有变化。"


def test_existing_notes_in_either_language_become_codes(db):
    migration = importlib.import_module("apps.applications.migrations.0003_event_note_code")
    application = ApplicationFactory()
    texts = [
        "请选择面试时间。",
        "Please reply by 2027-01-10.",
        "录用通知已失效：未在 2027-01-10 前答复。",
        "Withdrawn by the teacher.",
        "Thank you, we will be in touch.",
    ]
    events = [
        ApplicationEvent.objects.create(
            application=application, from_status="", to_status="submitted", note=text
        )
        for text in texts
    ]

    migration.notes_to_codes(django_apps, None)

    rows = [
        ApplicationEvent.objects.values_list("note_code", "note_params", "note").get(pk=event.pk)
        for event in events
    ]
    assert rows == [
        ("interview_proposed", {}, ""),
        ("reply_by", {"date": "2027-01-10"}, ""),
        ("offer_lapsed", {"reply_by": "2027-01-10"}, ""),
        ("withdrawn_by_teacher", {}, ""),
        ("", {}, "Thank you, we will be in touch."),
    ]
    with translation.override("en"):
        assert ApplicationEvent.objects.get(pk=events[0].pk).note_text == (
            "Please choose an interview time."
        )
