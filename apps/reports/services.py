"""Writes for annual reports: request (idempotent), build on a worker, download (audited)."""

import logging
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.accounts.models import BureauMembership, Role
from apps.core.exports import stored_file_open
from apps.core.jobs import job_claim, job_owned, jobs_abandoned_settle
from apps.core.models import District
from apps.core.services import audit_record
from apps.core.transitions import transition
from apps.notifications.services import notify

from .builders.content import build_report
from .builders.pdf import build_pdf
from .builders.xlsx import build_xlsx
from .models import BuildStatus, ReportBuild
from .selectors import jurisdiction_for_user, report_years, user_may_see
from .statistics import Jurisdiction

logger = logging.getLogger(__name__)

REPORT_READY_TITLE = _("Annual report %(year)s for %(place)s is ready")
REPORT_READY_BODY = _("Download it as a spreadsheet (XLSX) or as a PDF from the dashboard.")
REPORT_FAILED_TITLE = _("Annual report %(year)s for %(place)s could not be built")
FORMATS = ("xlsx", "pdf")
REPORT_BUILD_MAX_ATTEMPTS = 3  # a build that kills its worker every time stops being retried
# Stored untranslated; the build page and the notification translate it for the reader.
ABANDONED = gettext_noop("No worker finished this report within the time limit.")


def _jurisdiction(build: ReportBuild) -> Jurisdiction:
    return Jurisdiction(build.district)


def _place(build: ReportBuild) -> Any:
    return build.district.name if build.district_id else _("the whole city")


@transaction.atomic
def report_request(
    *, actor: Any, year: int, district_code: str = "", language: str = "zh-hans"
) -> tuple[ReportBuild, bool]:
    """Queue the annual report for (year, jurisdiction), or return the build of unchanged data.

    Raises PermissionDenied outside the actor's jurisdiction and ValidationError for a year
    the portal offers no report for. Returns (build, created).
    """
    jurisdiction = jurisdiction_for_user(user=actor, district_code=district_code)
    today = timezone.localdate()
    if year not in report_years(today):
        raise ValidationError(
            {"year": _("Choose a year between %(first)s and %(last)s.")
             % {"first": report_years(today)[-1], "last": today.year}}
        )  # fmt: skip
    return _request(jurisdiction=jurisdiction, year=year, language=language, actor=actor)


def _request(
    *, jurisdiction: Jurisdiction, year: int, language: str, actor: Any
) -> tuple[ReportBuild, bool]:
    with translation.override(language):
        fingerprint = build_report(jurisdiction, year, timezone.localdate()).fingerprint()
    existing = (
        ReportBuild.objects.select_for_update()
        .filter(
            year=year,
            district=jurisdiction.district,
            language=language,
            fingerprint=fingerprint,
            status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING, BuildStatus.READY],
        )
        .first()
    )
    if existing is not None:
        return existing, False
    build = ReportBuild(
        year=year,
        district=jurisdiction.district,
        language=language,
        fingerprint=fingerprint,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    build.full_clean()
    build.save()
    audit_record(actor=actor, action="report.requested", target=build)
    from .tasks import build_report_task

    build_report_task.delay_on_commit(build.pk)
    return build, True


class TransientBuildError(Exception):
    """A passing failure (database or storage): the task retries the build."""


def report_build_run(*, build_id: int, task_id: str = "") -> ReportBuild | None:
    """Build a queued report's XLSX and PDF exactly once; safe to run twice and after a crash.

    Claims the build (core.jobs: a queued build, a stale one, or this task's own redelivery
    after its worker died); returns None when it is finished or a live worker owns it. Marks
    the build failed with the reason on any error except a TransientBuildError, after which
    the build is queued again.
    """
    build = job_claim(
        ReportBuild,
        pk=build_id,
        task_id=task_id,
        queued=BuildStatus.QUEUED,
        running=BuildStatus.RUNNING,
        extra={"progress": 0},
    )
    if build is None:
        return None
    attempt = build.attempts
    try:
        finished = _build_files(build, attempt)
    except TransientBuildError:
        with transaction.atomic():
            if _owned(build, attempt):
                transition(
                    build, BuildStatus.QUEUED, actor=None, transitions=ReportBuild.TRANSITIONS
                )
        raise
    except Exception as error:
        logger.exception("Annual report build %s failed", build.pk)
        with transaction.atomic():
            if _owned(build, attempt):
                _fail(build, str(error) or error.__class__.__name__)
        return build
    if finished:
        _notify_ready(build)
    return build


def _owned(build: ReportBuild, attempt: int) -> bool:
    # Lock the row; a late attempt whose build was taken over must not write over the new one.
    return (
        job_owned(ReportBuild, pk=build.pk, running=BuildStatus.RUNNING, attempt=attempt)
        is not None
    )


def _progress(build: ReportBuild, attempt: int) -> None:
    build.progress = min(build.progress + 1, build.progress_total)
    ReportBuild.objects.filter(pk=build.pk, attempts=attempt).update(progress=build.progress)


def _save_file(field_file, filename: str, content: bytes) -> None:
    # A crashed attempt may have left this build's file behind: replace it, never add a copy.
    name = field_file.field.generate_filename(field_file.instance, filename)
    if field_file.storage.exists(name):
        field_file.storage.delete(name)
    field_file.save(filename, ContentFile(content), save=False)


def _build_files(build: ReportBuild, attempt: int) -> bool:
    """Build and store the files and mark the build ready; False if this attempt lost it."""
    with translation.override(build.language):
        report = build_report(_jurisdiction(build), build.year, timezone.localdate())
        build.progress_total = len(report.sections) + 2
        build.progress = 1
        ReportBuild.objects.filter(pk=build.pk, attempts=attempt).update(
            progress=1, progress_total=build.progress_total
        )
        xlsx = build_xlsx(report)
        _progress(build, attempt)
        pdf = build_pdf(report, progress=lambda: _progress(build, attempt))
    stem = f"annual-report-{build.year}-{build.district.code if build.district_id else 'city'}"
    with transaction.atomic():
        if not _owned(build, attempt):
            return False
        _save_file(build.xlsx_file, f"{stem}.xlsx", xlsx)
        _save_file(build.pdf_file, f"{stem}.pdf", pdf)
        transition(
            build,
            BuildStatus.READY,
            actor=None,
            transitions=ReportBuild.TRANSITIONS,
            extra={
                "xlsx_file": build.xlsx_file.name,
                "pdf_file": build.pdf_file.name,
                "fingerprint": report.fingerprint(),
                "finished_at": timezone.now(),
                "progress": build.progress_total,
            },
        )
    return True


def _fail(build: ReportBuild, reason: str) -> None:
    """Mark the (locked) build failed with its reason and tell the requester."""
    build.refresh_from_db()
    transition(
        build,
        BuildStatus.FAILED,
        actor=None,
        transitions=ReportBuild.TRANSITIONS,
        reason=reason,
        extra={"failure_reason": reason[:2000], "finished_at": timezone.now()},
    )
    if build.requested_by is not None:
        notify(
            recipient=build.requested_by,
            kind="report.failed",
            title=REPORT_FAILED_TITLE,
            # Our own reason in the reader's language; an error's text as it is ("%" and all).
            body=_(ABANDONED) if reason == ABANDONED else reason,
            params={"year": build.year, "place": _place(build)},
            url=reverse("reports:build", args=[build.code]),
        )


def report_builds_reclaim_abandoned() -> int:
    """Queue again the builds no worker finished within the time limit; return how many.

    A lost broker message, or a worker killed at the hard time limit (which acknowledges the
    task), would otherwise leave a build queued or running for ever. The new task claims the
    stale build (core.jobs); a build already tried REPORT_BUILD_MAX_ATTEMPTS times fails.
    """
    from .tasks import build_report_task

    def settle(build: ReportBuild) -> None:
        if build.attempts >= REPORT_BUILD_MAX_ATTEMPTS:
            _fail(build, ABANDONED)
        else:
            build_report_task.delay_on_commit(build.pk)

    return jobs_abandoned_settle(
        ReportBuild, queued=BuildStatus.QUEUED, running=BuildStatus.RUNNING, settle=settle
    )


def _recipients(build: ReportBuild) -> list[Any]:
    """The requester, or (a scheduled build) every bureau viewer of the jurisdiction."""
    if build.requested_by is not None:
        return [build.requested_by]
    memberships = BureauMembership.objects.filter(
        district=build.district, user__is_active=True, user__role=Role.BUREAU_VIEWER
    ).select_related("user")
    return [membership.user for membership in memberships]


def _notify_ready(build: ReportBuild) -> None:
    for recipient in _recipients(build):
        notify(
            recipient=recipient,
            kind="report.ready",
            title=REPORT_READY_TITLE,
            body=REPORT_READY_BODY,
            params={"year": build.year, "place": _place(build)},
            url=reverse("reports:build", args=[build.code]),
        )


def report_download(*, user: Any, build: ReportBuild, kind: str):
    """Open a ready report's file for a user of its jurisdiction and audit the download."""
    if not user_may_see(user=user, jurisdiction=_jurisdiction(build)):
        raise PermissionDenied
    if kind not in FORMATS or build.status != BuildStatus.READY:
        raise ValidationError(_("This report has no such file yet."))
    handle = stored_file_open(build.xlsx_file if kind == "xlsx" else build.pdf_file)
    audit_record(actor=user, action="report.downloaded", target=build, after={"format": kind})
    return handle


def reports_schedule_annual(*, today: date) -> list[ReportBuild]:
    """Queue last year's city report and every district's (the 10 January job)."""
    year = today.year - 1
    builds = []
    for district in [None, *District.objects.order_by("sort_order", "code")]:
        with transaction.atomic():
            build, _created = _request(
                jurisdiction=Jurisdiction(district), year=year, language="zh-hans", actor=None
            )
        builds.append(build)
    return builds
