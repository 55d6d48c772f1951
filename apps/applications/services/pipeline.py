"""Writes for applications: the pipeline declared once and the moves along it."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.admission.availability import hiring_availability
from apps.core.services import audit_record
from apps.core.transitions import transition
from apps.notifications.services import notify
from apps.schools.selectors import school_contacts
from apps.teachers.models import Teacher
from apps.teachers.selectors import teacher_for_user
from apps.vacancies.models import Vacancy, VacancyStatus
from apps.vacancies.selectors import vacancy_qualification

from ..models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationStatus,
    Offer,
    OfferStatus,
    RejectionReason,
)
from ..selectors import school_may_act_on
from ..signals import application_submitted

S = ApplicationStatus
# Which side hears about a move: the other side of whoever usually makes it.
TEACHER_MOVES = {S.WITHDRAWN, S.ACCEPTED, S.DECLINED, S.SUBMITTED}

TO_TEACHER_TITLE = gettext_lazy("Your application for %(vacancy)s: %(status)s")
TO_SCHOOL_TITLE = gettext_lazy("%(teacher)s, %(vacancy)s: %(status)s")


def school_recipients(vacancy: Vacancy) -> list[Any]:
    """Return the staff who hear about a vacancy's applicants: the liaison and its author."""
    return school_contacts(school=vacancy.school, also_user_id=vacancy.created_by_id)


def tell_teacher(application: Application, *, title, body="", params=None) -> None:
    """Notify the applicant (if their login still exists) about their application."""
    user = application.teacher.user
    if user is None:
        return
    notify(
        recipient=user,
        kind="application",
        title=title,
        body=body,
        params={"vacancy": application.vacancy.title_for_reader} | (params or {}),
        url=application.get_absolute_url(),
    )


def tell_school(application: Application, *, title, body="", params=None) -> None:
    """Notify the vacancy's school staff about an applicant."""
    from django.urls import reverse

    url = reverse("applications:school_detail", args=[application.code])
    for user in school_recipients(application.vacancy):
        notify(
            recipient=user,
            kind="application",
            title=title,
            body=body,
            params={
                "vacancy": application.vacancy.title_for_reader,
                "teacher": application.teacher.legal_name or application.teacher,
            }
            | (params or {}),
            url=url,
        )


def application_transition(
    application: Application,
    to: str,
    *,
    actor: Any,
    note: str | Promise = "",
    note_code: str = "",
    note_params: dict[str, Any] | None = None,
    reason: str = "",
    tell: str | None = None,
) -> None:
    """Move an application (map, conditional update, audit), record its history, tell a side."""
    before = application.status
    # A typed note is kept as typed; a system note (note_code) as its code and values, so the
    # history and each notification are shown in the reader's language.
    note_params = note_params or {}
    if note_code:
        note = ApplicationNote(note_code).label
    written_note = str(note) % note_params if note_params else str(note)
    # The map check, the conditional update (a parallel move of the same row loses) and the
    # audit event are core.transitions'.
    extra: dict[str, Any] = {"status_changed_at": timezone.now()}
    if to == S.REJECTED:
        extra["rejection_reason"] = reason or RejectionReason.OTHER
        extra["rejection_note"] = written_note
    transition(
        application,
        to,
        actor=actor,
        transitions=Application.TRANSITIONS,
        action=f"application.{to}",
        reason=written_note,
        extra=extra,
    )
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=before,
        to_status=to,
        note="" if note_code else written_note,
        note_code=note_code,
        note_params=note_params if note_code else {},
    )
    tell = tell or ("school" if to in TEACHER_MOVES else "teacher")
    params = {"status": S(to).label, **note_params}
    if tell in {"teacher", "both"}:
        tell_teacher(application, title=TO_TEACHER_TITLE, body=note, params=params)
    if tell in {"school", "both"}:
        tell_school(application, title=TO_SCHOOL_TITLE, body=note, params=params)


def locked(application: Application) -> Application:
    """Re-read the application (and its vacancy, teacher) with a row lock."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy", "vacancy__school", "teacher", "teacher__user")
        .get(pk=application.pk)
    )


def ensure_school_owner(actor: Any, application: Application) -> None:
    """Raise PermissionDenied unless the actor may act on the applicant (selectors decide)."""
    if not school_may_act_on(user=actor, application=application):
        raise PermissionDenied


def ensure_applicant(actor: Any, application: Application) -> None:
    """Only the teacher who applied acts on their side of the application."""
    if application.teacher.user_id is None or application.teacher.user_id != actor.pk:
        raise PermissionDenied


def ensure_vacancy_open(vacancy: Vacancy) -> None:
    """Raise ValidationError unless the vacancy is still published (not closed or expired)."""
    status = Vacancy.objects.values_list("status", flat=True).get(pk=vacancy.pk)
    if status != VacancyStatus.PUBLISHED:
        raise ValidationError(_("This vacancy is no longer open."))


def ensure_available(teacher: Teacher, vacancy: Vacancy) -> None:
    """Raise ValidationError unless the teacher is free for this post (admission decides)."""
    availability = hiring_availability([teacher], vacancy_id=vacancy.pk)[teacher.pk]
    if not availability.passed:
        raise ValidationError(availability.text)


def ensure_qualifies(teacher: Teacher, vacancy: Vacancy) -> None:
    """Raise ValidationError unless the teacher meets the standard, is available for hiring and
    fits the post's rules today: the admission standard says it, once, with its messages."""
    today = timezone.localdate()
    vacancy = Vacancy.objects.prefetch_related("subjects", "levels").get(pk=vacancy.pk)
    qualification = vacancy_qualification(teacher=teacher, vacancy=vacancy, on=today)
    if not qualification.qualifies:
        reasons = [rule.text for rule in qualification.admission_failures]
        reasons += [rule.text for rule in qualification.pair_failures]
        raise ValidationError(
            _("The teacher does not meet the requirements for this vacancy: %(reasons)s")
            % {"reasons": "; ".join(reasons)}
        )


@transaction.atomic
def application_apply(*, actor: Any, vacancy: Vacancy, cover_letter: str = "") -> Application:
    """Apply the signed-in teacher to a published vacancy they qualify for (once)."""
    teacher = teacher_for_user(user=actor)
    if teacher is None:
        raise ValidationError(_("Complete your teacher profile before you apply."))
    vacancy = Vacancy.objects.select_for_update().select_related("school").get(pk=vacancy.pk)
    if vacancy.status != VacancyStatus.PUBLISHED or vacancy.open_posts < 1:
        raise ValidationError(_("This vacancy no longer takes applications."))
    if Application.objects.filter(vacancy=vacancy, teacher=teacher).exists():
        raise ValidationError(_("You have already applied to this vacancy."))
    ensure_qualifies(teacher, vacancy)
    application = Application(vacancy=vacancy, teacher=teacher, cover_letter=cover_letter.strip())
    application.full_clean(validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        # Two clicks at once: the unique constraint lets only one through.
        raise ValidationError(_("You have already applied to this vacancy.")) from error
    ApplicationEvent.objects.create(application=application, actor=actor, to_status=S.SUBMITTED)
    audit_record(actor=actor, action="application.submitted", target=application)
    tell_school(application, title=gettext_lazy("New applicant for %(vacancy)s: %(teacher)s"))
    application_id = application.pk
    transaction.on_commit(
        lambda: application_submitted.send(sender=Application, application_id=application_id)
    )
    return application


@transaction.atomic
def application_shortlist(*, actor: Any, application: Application, note: str = "") -> Application:
    """Shortlist an applicant (the standard is checked again); the teacher is told."""
    application = locked(application)
    ensure_school_owner(actor, application)
    if application.status != S.SUBMITTED:
        raise ValidationError(_("Only a new application can be shortlisted."))
    ensure_vacancy_open(application.vacancy)
    ensure_qualifies(application.teacher, application.vacancy)
    application_transition(application, S.SHORTLISTED, actor=actor, note=note)
    return application


@transaction.atomic
def application_reject(
    *, actor: Any, application: Application, reason: str, note: str = ""
) -> Application:
    """Turn an applicant down with a reason code; the teacher is told."""
    application = locked(application)
    ensure_school_owner(actor, application)
    if reason not in RejectionReason.values:
        raise ValidationError(_("Choose a reason."))
    if application.status == S.ACCEPTED:
        raise ValidationError(
            _("The teacher accepted your offer: confirm the hire or ask them to withdraw.")
        )
    if application.status == S.OFFERED:
        _close_offer(application, OfferStatus.WITHDRAWN, actor=actor)
    application_transition(application, S.REJECTED, actor=actor, note=note, reason=reason)
    return application


def applications_reject_bulk(
    *, actor: Any, applications: list[Application], reason: str, note: str = ""
) -> int:
    """Reject several applicants with one reason; all or nothing. Return how many."""
    with transaction.atomic():
        for application in applications:
            application_reject(actor=actor, application=application, reason=reason, note=note)
    return len(applications)


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    """Withdraw the teacher's own application; the school is told."""
    application = locked(application)
    ensure_applicant(actor, application)
    if application.status in {S.OFFERED, S.ACCEPTED}:
        _close_offer(application, OfferStatus.WITHDRAWN, actor=actor)
    application_transition(
        application, S.WITHDRAWN, actor=actor, note_code=ApplicationNote.WITHDRAWN_BY_TEACHER
    )
    return application


@transaction.atomic
def application_rank(*, actor: Any, application: Application, rank: int | None) -> Application:
    """Set the teacher's or the school's preference rank (for the stable-matching round)."""
    application = locked(application)
    field = "teacher_rank" if actor.is_teacher else "school_rank"
    if actor.is_teacher:
        ensure_applicant(actor, application)
    else:
        ensure_school_owner(actor, application)
    if not application.is_open:
        raise ValidationError(_("This application is closed."))
    if rank is not None and rank < 1:
        raise ValidationError(_("A rank is 1 or more."))
    before = getattr(application, field)
    setattr(application, field, rank)
    application.save(update_fields=[field])
    audit_record(
        actor=actor,
        action=f"application.{field}",
        target=application,
        before={field: before},
        after={field: rank},
    )
    return application


def offer_transition(offer: Offer, to: str, *, actor: Any) -> None:
    """Move an offer along Offer.TRANSITIONS (a reply or withdrawal is dated); audited."""
    # A lapse is the absence of a reply, so it leaves replied_at empty.
    extra = {} if to == OfferStatus.LAPSED else {"replied_at": offer.replied_at or timezone.now()}
    transition(
        offer,
        to,
        actor=actor,
        transitions=Offer.TRANSITIONS,
        action=f"offer.{to}",
        extra=extra,
    )


def _close_offer(application: Application, status: str, *, actor: Any) -> None:
    offer = getattr(application, "offer", None)
    if offer is not None and offer.status in {OfferStatus.OPEN, OfferStatus.ACCEPTED}:
        offer_transition(offer, status, actor=actor)


@transaction.atomic
def application_mark_hired(*, actor: Any, application: Application) -> Application:
    """Move an accepted application to hired (called by the employment hire service only)."""
    application = locked(application)
    if application.status != S.ACCEPTED:
        raise ValidationError(_("Only an accepted offer can be confirmed as a hire."))
    application_transition(application, S.HIRED, actor=actor, tell="teacher")
    return application


def applications_close_for_vacancy(*, actor: Any, vacancy: Vacancy, reason: str) -> int:
    """Tell every other open applicant of a filled or closed vacancy that it is over."""
    remaining = (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy", "vacancy__school", "teacher", "teacher__user")
        .filter(vacancy=vacancy, status__in=OPEN_STATUSES)
    )
    count = 0
    for application in remaining:
        _close_offer(application, OfferStatus.WITHDRAWN, actor=actor)
        application_transition(application, S.REJECTED, actor=actor, reason=reason)
        count += 1
    return count


@transaction.atomic
def applications_close_for_closed_vacancy(*, vacancy_id: int) -> int:
    """Close the open applications of a vacancy that was closed or expired; tell the teachers."""
    vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
    if vacancy is None or vacancy.status not in {VacancyStatus.CLOSED, VacancyStatus.EXPIRED}:
        return 0
    return applications_close_for_vacancy(
        actor=None, vacancy=vacancy, reason=RejectionReason.VACANCY_CLOSED
    )
