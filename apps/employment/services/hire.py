"""The hire: an accepted offer becomes an Employment in one locked transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.applications.models import Application, ApplicationStatus, RejectionReason
from apps.applications.services import (
    application_mark_hired,
    applications_close_for_vacancy,
    ensure_qualifies,
    ensure_school_owner,
)
from apps.core.dates import add_months
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.credit.selectors import blacklisted_school_ids, school_may_hire
from apps.teachers.models import Category, Teacher
from apps.vacancies.models import HiringChannel, Vacancy, VacancyStatus
from apps.vacancies.services import vacancy_mark_filled

from ..models import (
    AgreementStatus,
    Employment,
    EmploymentSchool,
    EmploymentStatus,
    InternshipAgreement,
    PaymentMethod,
)
from ..signals import announce_employment_changed

ALREADY_EMPLOYED = gettext_lazy(
    "This teacher is already employed by a school; the hire was not recorded."
)


def _check_payment(channel: str, payment_method: str, agency_name: str) -> None:
    if channel == HiringChannel.AGENCY:
        if payment_method not in {PaymentMethod.LABOUR_FEE, PaymentMethod.PROCUREMENT}:
            raise ValidationError(
                {"payment_method": _("An agency hire is paid as a labour fee or by procurement.")}
            )
        if not agency_name.strip():
            raise ValidationError({"agency_name": _("Name the service agency.")})
    elif payment_method != PaymentMethod.SALARY:
        raise ValidationError(
            {"payment_method": _("Only an agency hire is paid as a labour fee or by procurement.")}
        )


def intern_limit_check(*, teacher: Teacher, school: Any, start, end) -> InternshipAgreement:
    """Return the approved agreement covering an intern's contract, or raise ValidationError."""
    policy = policy_settings_get()
    limit = add_months(start, policy.intern_months)
    if end > limit:
        raise ValidationError(
            _(
                "An internship lasts at most %(months)s months: the contract may end on "
                "%(date)s at the latest (record an extension later if needed)."
            )
            % {"months": policy.intern_months, "date": limit.isoformat()}
        )
    agreement = (
        InternshipAgreement.objects.filter(
            teacher=teacher,
            school=school,
            status=AgreementStatus.APPROVED,
            starts_on__lte=start,
            ends_on__gte=end,
        )
        .order_by("-created_at")
        .first()
    )
    if agreement is None:
        raise ValidationError(
            _(
                "An intern hire needs an internship agreement covering the contract dates, "
                "approved by the service center."
            )
        )
    return agreement


@transaction.atomic
def employment_hire(
    *,
    actor: Any,
    application: Application,
    hiring_channel: str | None = None,
    payment_method: str = PaymentMethod.SALARY,
    agency_name: str = "",
) -> Employment:
    """Confirm an accepted offer: create the Employment, count the post, close a full vacancy."""
    # Lock order everywhere: teacher, then vacancy, then application; it serialises two
    # schools hiring one teacher and two clicks on the last post.
    teacher = Teacher.objects.select_for_update().get(pk=application.teacher_id)
    vacancy = (
        Vacancy.objects.select_for_update().select_related("school").get(pk=application.vacancy_id)
    )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy", "vacancy__school", "teacher", "teacher__user", "offer")
        .get(pk=application.pk)
    )
    ensure_school_owner(actor, application)
    if application.status == ApplicationStatus.HIRED:
        raise ValidationError(_("This hire was already confirmed."))
    if vacancy.status != VacancyStatus.PUBLISHED or vacancy.open_posts < 1:
        raise ValidationError(_("Every post of this vacancy is already filled."))
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted offer can be confirmed as a hire."))
    if Employment.objects.filter(teacher=teacher, status=EmploymentStatus.ACTIVE).exists():
        raise ValidationError(ALREADY_EMPLOYED)
    if not school_may_hire(vacancy.school, on=timezone.localdate()):
        raise ValidationError(_("A credit restriction on your school is in force: it cannot hire."))
    if vacancy.is_cluster:
        # Every school of a cluster post signs the one contract, so each must be free to hire.
        restricted = blacklisted_school_ids(
            on=timezone.localdate(),
            among=vacancy.cluster_schools.values_list("school_id", flat=True),
        )
        if restricted:
            raise ValidationError(
                _("A credit restriction on a school of this cluster post is in force: no hire.")
            )
    ensure_qualifies(teacher, vacancy)
    channel = hiring_channel or vacancy.hiring_channel
    _check_payment(channel, payment_method, agency_name)
    offer = application.offer
    if teacher.category == Category.INTERN:
        intern_limit_check(
            teacher=teacher,
            school=vacancy.school,
            start=offer.contract_start,
            end=offer.contract_end,
        )
    employment = Employment(
        teacher=teacher,
        application=application,
        vacancy=vacancy,
        school=vacancy.school,
        cluster=vacancy.cluster,
        salary=offer.salary,
        contract_start=offer.contract_start,
        contract_end=offer.contract_end,
        weekly_hours=offer.weekly_hours,
        housing=offer.housing,
        benefits=offer.benefits,
        hiring_channel=channel,
        payment_method=payment_method,
        agency_name=agency_name.strip(),
        is_intern=teacher.category == Category.INTERN,
        created_by=actor,
    )
    employment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            employment.save()
    except IntegrityError as error:
        # The partial unique constraint: another school's hire of this teacher won the race.
        raise ValidationError(ALREADY_EMPLOYED) from error
    shares = list(vacancy.cluster_schools.select_related("school")) if vacancy.is_cluster else []
    if shares:
        EmploymentSchool.objects.bulk_create(
            EmploymentSchool(
                employment=employment,
                school=share.school,
                weekly_hours=share.weekly_hours,
                is_lead=share.school_id == vacancy.school_id,
            )
            for share in shares
        )
        if not any(share.school_id == vacancy.school_id for share in shares):
            EmploymentSchool.objects.create(
                employment=employment, school=vacancy.school, weekly_hours=1, is_lead=True
            )
    else:
        EmploymentSchool.objects.create(
            employment=employment,
            school=vacancy.school,
            weekly_hours=offer.weekly_hours,
            is_lead=True,
        )
    vacancy.filled_posts += 1
    vacancy.save(update_fields=["filled_posts", "updated_at"])
    application_mark_hired(actor=actor, application=application)
    audit_record(
        actor=actor,
        action="employment.hired",
        target=employment,
        after={"teacher": teacher.pk, "vacancy": vacancy.pk, "channel": channel},
    )
    announce_employment_changed(employment.pk)
    if vacancy.open_posts == 0:
        vacancy_mark_filled(actor=actor, vacancy=vacancy)
        applications_close_for_vacancy(
            actor=actor, vacancy=vacancy, reason=RejectionReason.POST_FILLED
        )
    return employment
