"""One small world for the isolation matrix: ten actors and objects owned by school A/teachers."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.accounts.models import BureauMembership
from apps.applications.models import ApplicationStatus, InterviewMode, InterviewSlot, OfferStatus
from apps.core.models import District
from apps.credit.models import CreditFile, Severity
from apps.employment.models import ExchangeVisit
from apps.exchange.models import ExportJob, ExportStatus
from apps.exchange.scopes import Scope
from apps.exchange.services import api_client_create
from apps.guidance.models import Procedure
from apps.matching.models import MatchRun, Recommendation, RunStatus
from apps.notifications.models import Notification
from apps.reports.models import BuildStatus, ReportBuild
from apps.schools.models import GroupKind, SchoolGroup, SchoolGroupMember
from apps.teachers.models import DocumentKind
from apps.vacancies.models import SavedSearch, VacancySchool
from tests.accounts.factories import (
    BureauViewerUserFactory,
    CenterStaffUserFactory,
)
from tests.applications.factories import ApplicationFactory, OfferFactory, english_vacancy
from tests.credit.factories import restriction_create
from tests.evaluations.factories import evaluation_for, make_employment, submitted
from tests.schools.factories import PartnerSchoolFactory, SchoolFactory, SchoolMembershipFactory
from tests.teachers.factories import add_document, make_eligible_teacher

XIHU, GONGSHU = "330106", "330105"


def build_world() -> tuple[dict, dict]:
    """Create the actors (users) and the objects; return (actors, objects) keyed by name."""
    xihu = District.objects.get(code=XIHU)
    gongshu = District.objects.get(code=GONGSHU)
    school_a = SchoolFactory(name_en="Matrix A Primary", district=xihu)
    school_b = SchoolFactory(name_en="Matrix B Primary", district=gongshu)
    school_c = SchoolFactory(name_en="Matrix C Primary", district=xihu)
    cluster = SchoolGroup.objects.create(
        kind=GroupKind.CLUSTER, name="Matrix cluster", lead_school=school_a
    )
    SchoolGroupMember.objects.create(group=cluster, school=school_c)

    def staff(school, email, liaison=True):
        return SchoolMembershipFactory(school=school, is_liaison=liaison, user__email=email)

    bureau_d1 = BureauViewerUserFactory(email="matrix.xihu@example.org")
    BureauMembership.objects.create(user=bureau_d1, district=xihu)
    bureau_d2 = BureauViewerUserFactory(email="matrix.gongshu@example.org")
    BureauMembership.objects.create(user=bureau_d2, district=gongshu)
    municipal = BureauViewerUserFactory(email="matrix.city@example.org")
    BureauMembership.objects.create(user=municipal, district=None)

    teacher_x = make_eligible_teacher(user__email="matrix.x@example.org")
    teacher_y = make_eligible_teacher(user__email="matrix.y@example.org")
    actors = {
        "school_a": staff(school_a, "matrix.a@example.org").user,
        "school_b": staff(school_b, "matrix.b@example.org").user,
        "cluster": staff(school_c, "matrix.c@example.org").user,
        "teacher_x": teacher_x.user,
        "teacher_y": teacher_y.user,
        "bureau_d1": bureau_d1,
        "bureau_d2": bureau_d2,
        "municipal": municipal,
        "center": CenterStaffUserFactory(email="matrix.center@example.org"),
        "anonymous": None,
    }

    vacancy_a = english_vacancy(school=school_a)
    application_x = ApplicationFactory(
        vacancy=vacancy_a, teacher=teacher_x, status=ApplicationStatus.HIRED
    )
    OfferFactory(application=application_x, status=OfferStatus.ACCEPTED)
    slot_x = InterviewSlot.objects.create(
        application=application_x,
        starts_at=timezone.now() + timedelta(days=3),
        mode=InterviewMode.VIDEO,
        location="https://meet.example.org/x",
    )
    employment_x = make_employment(
        school_a, teacher=teacher_x, start=date(2026, 3, 1), end=date(2027, 2, 28)
    )
    employment_x.application = application_x
    employment_x.vacancy = vacancy_a
    employment_x.save(update_fields=["application", "vacancy"])
    record_x = restriction_create(teacher=teacher_x, severity=Severity.MINOR)
    credit_file_x = CreditFile.objects.create(
        record=record_x,
        purpose="evidence",
        file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
        original_name="evidence.pdf",
        content_type="application/pdf",
        size=17,
        sha256="0" * 64,
    )
    report = ReportBuild.objects.create(
        year=2025, district=xihu, status=BuildStatus.READY, fingerprint="matrix"
    )
    report.xlsx_file.save("matrix.xlsx", ContentFile(b"PK\x03\x04 xlsx"), save=True)
    now = timezone.now()
    run = MatchRun.objects.create(status=RunStatus.DONE, started_at=now, finished_at=now)
    export_job_center = ExportJob.objects.create(
        dataset="schools",
        format="csv",
        requested_by=actors["center"],
        scopes=["schools"],
        status=ExportStatus.DONE,
        finished_at=now,
    )
    export_job_center.file.save("schools.csv", ContentFile(b"code,name\n"), save=True)
    api_client, api_token = api_client_create(
        actor=actors["center"],
        department="Matrix public security bureau",
        scopes=list(Scope.values),
        expires_at=now + timedelta(days=365),
    )
    other_client, other_token = api_client_create(
        actor=actors["center"],
        department="Matrix statistics office",
        scopes=[Scope.SCHOOLS],
        expires_at=now + timedelta(days=365),
    )
    # A cluster vacancy and a cluster hire of school A shared with member school C: C reads,
    # only the lead school acts.
    cluster_vacancy = english_vacancy(school=school_a, cluster=cluster)
    VacancySchool.objects.create(vacancy=cluster_vacancy, school=school_a, weekly_hours=12)
    VacancySchool.objects.create(vacancy=cluster_vacancy, school=school_c, weekly_hours=4)
    teacher_z = make_eligible_teacher(user__email="matrix.z@example.org")
    cluster_application = ApplicationFactory(vacancy=cluster_vacancy, teacher=teacher_z)
    cluster_employment = make_employment(
        school_a, teacher=make_eligible_teacher(), members=((school_c, 4),)
    )
    objects = {
        "school_a": school_a,
        "notification": Notification.objects.create(
            recipient=teacher_x.user, kind="test", title="Your documents were checked"
        ),
        "membership_a": staff(school_a, "matrix.a2@example.org", liaison=False),
        "partner_a": PartnerSchoolFactory(school=school_a),
        "document_x": add_document(teacher_x, DocumentKind.CV),
        "vacancy_a": vacancy_a,
        "saved_search_x": SavedSearch.objects.create(user=teacher_x.user, name="Mine", query=""),
        "application_x": application_x,
        "slot_x": slot_x,
        "employment_x": employment_x,
        "evaluation_x": submitted(evaluation_for(employment_x, "2026Q3"), actors["school_a"]),
        "record_x": record_x,
        "credit_file_x": credit_file_x,
        "run": run,
        "teacher_y": teacher_y,
        "recommendation_y": Recommendation.objects.create(
            run=run, teacher=teacher_y, vacancy=vacancy_a, score=80
        ),
        "report_xihu": report,
        "export_job_center": export_job_center,
        "export_job_client": ExportJob.objects.create(
            dataset="schools",
            format="csv",
            client=api_client,
            scopes=list(Scope.values),
            status=ExportStatus.QUEUED,
        ),
        "visit_a": ExchangeVisit.objects.create(
            school=school_a,
            partner_school=PartnerSchoolFactory(school=school_a),
            visitor_name="Matrix Visitor",
            nationality="GB",
            arrival=date(2026, 10, 1),
            departure=date(2026, 10, 20),
            purpose="Exchange lessons",
        ),
        "cluster_vacancy": cluster_vacancy,
        "cluster_application": cluster_application,
        "cluster_employment": cluster_employment,
        "api_client": api_client,
        "api_token": api_token,
        "other_client": other_client,
        "other_token": other_token,
        "procedure": Procedure.objects.filter(is_published=True, on_checklist=True).first(),
    }
    return actors, objects
