"""Each side reads about the application in their own language (review finding)."""

from django.utils import translation

from apps.applications.models import ApplicationStatus
from apps.applications.services import offer_make
from apps.notifications.models import Notification
from tests.applications.factories import ApplicationFactory, english_vacancy, offer_terms


def test_an_offer_made_in_chinese_reaches_an_english_teacher_in_english(liaison_a, school_a):
    vacancy = english_vacancy(
        school=school_a, title_en="Primary English teacher", title_zh_hans="小学英语外教"
    )
    application = ApplicationFactory(vacancy=vacancy, status=ApplicationStatus.SHORTLISTED)

    with translation.override("zh-hans"):
        offer = offer_make(actor=liaison_a, application=application, terms=offer_terms())

    note = Notification.objects.get(recipient=application.teacher.user)
    assert "Primary English teacher" in note.title
    assert "小学英语外教" not in note.title
    assert note.body == f"Please reply by {offer.reply_by.isoformat()}."
    # The history keeps the note as a code: each reader sees it in their own language.
    event = application.events.get(to_status=ApplicationStatus.OFFERED)
    with translation.override("zh-hans"):
        assert event.note_text.startswith("请于")
    with translation.override("en"):
        assert event.note_text == f"Please reply by {offer.reply_by.isoformat()}."
