"""Sign seeded users of every role in and write the load test's request plan (JSON).

Run by `manage.py loadtest` with the same settings and secret as the gunicorn it drives, so
the sessions it writes are valid there: no password crosses the wire, and center staff get a
session that passed the TOTP stage the way a real sign-in leaves it (as tests/conftest.py does).
"""

import json
from dataclasses import asdict

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import login
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.http import HttpRequest
from django.utils.module_loading import import_string

from apps.accounts.mfa import SECOND_FACTOR_TYPES, has_second_factor, mfa_required, totp_enrol
from apps.accounts.models import Role, User
from apps.accounts.seed import DEMO_TOTP_SECRET
from apps.core.models import District, Subject, TeachingLevel
from apps.employment.models import Employment
from apps.schools.models import SchoolMembership
from apps.teachers.models import TeacherStatus
from apps.vacancies.models import Vacancy, VacancyStatus

from ...loadtest import report

TEACHER_SESSIONS = 20
# Share of the mix per role, in thousandths (issue 18).
MIX = {"search": 600, "teacher": 150, "school": 150, "bureau": 50, "center": 50}
# Only accounts seed_demo created are signed in this way.
SEEDED_DOMAINS = ("@demo.hz-waijiao.cn", "@seed.hz-waijiao.cn")


class Command(BaseCommand):
    help = "Write signed-in sessions for seeded users and print the load test's plan as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="File to write the plan to.")

    def handle(self, *args: object, output: str, **options: object) -> None:
        self.sessions: list[str] = []
        entries = [report.PlanEntry(0, "home", "/en/")]
        entries += self._search_entries()
        entries += self._teacher_entries()
        entries += self._school_entries()
        entries += self._bureau_entries()
        entries += self._center_entries()
        plan = {"sessions": self.sessions, "entries": [asdict(entry) for entry in entries]}
        with open(output, "w", encoding="utf-8") as file:
            json.dump(plan, file)
        self.stdout.write(f"{len(self.sessions)} sessions, {len(entries)} requests in the plan.")

    def _session(self, user: User) -> str:
        """Write a signed-in session for the user and return its cookie."""
        if not user.email.endswith(SEEDED_DOMAINS):
            raise CommandError(f"{user.email} is not a seeded account; refusing to sign it in.")
        request = HttpRequest()
        request.session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if mfa_required(user):
            if not has_second_factor(user):
                # A city seeded before two-factor sign-in existed: enrol the demo key, as
                # seed_demo does for its center account today.
                totp_enrol(user=user, secret=DEMO_TOTP_SECRET)
            authenticator = Authenticator.objects.filter(
                user=user, type__in=SECOND_FACTOR_TYPES
            ).first()
            record_authentication(request, user, "password", email=user.email)
            record_authentication(
                request, user, "mfa", id=authenticator.pk, type=authenticator.type
            )
        request.session.save()
        self.sessions.append(request.session.session_key)
        return f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"

    def _search_entries(self) -> list[report.PlanEntry]:
        district = list(District.objects.order_by("pk").values_list("code", flat=True))
        subject = list(Subject.objects.order_by("pk").values_list("code", flat=True))
        level = list(TeachingLevel.objects.order_by("pk").values_list("code", flat=True))
        queries = [
            "q=English",
            "",
            "page=2",
            "page=7",
            f"district={district[0]}",
            f"district={district[3]}&page=2",
            f"subject={subject[0]}&level={level[1]}",
            f"subject={subject[1]}&sort=salary",
            "q=Math&sort=start",
            "salary_from=15000&sort=salary",
            "kind=cluster",
            "category=1&q=English",
        ]
        paths = [f"/en/vacancies/?{query}" if query else "/en/vacancies/" for query in queries]
        paths.append("/zh-hans/vacancies/?q=%E8%8B%B1%E8%AF%AD")  # 英语 ("English")
        # Driven alone, the first is the "anonymous search" row; the mix uses them all.
        alone = _alone(
            [("search ?q=English", paths[0], ""), ("guidance procedures", "/en/guidance/", "")]
        )
        return alone + _spread(MIX["search"], [("vacancy search", path, "") for path in paths])

    def _teacher_entries(self) -> list[report.PlanEntry]:
        users = User.objects.filter(
            role=Role.TEACHER, is_active=True, teacher__status=TeacherStatus.VERIFIED
        ).order_by("pk")[:TEACHER_SESSIONS]
        requests = []
        alone = []
        for user in users:
            cookie = self._session(user)
            requests += [
                ("teacher dashboard", "/en/dashboard/teacher/", cookie),
                ("teacher suggestions", "/en/matching/suggestions/", cookie),
            ]
            alone += [
                ("teacher evaluations", "/en/evaluations/mine/", cookie),
                ("teacher credit", "/en/credit/mine/", cookie),
            ]
        if not requests:
            raise CommandError("No verified teacher in the seeded city.")
        return _spread(MIX["teacher"], requests) + _alone(alone)

    def _school_entries(self) -> list[report.PlanEntry]:
        memberships = SchoolMembership.objects.filter(
            user__is_active=True, user__role=Role.SCHOOL_STAFF
        ).select_related("user", "school")
        requests, alone = [], []
        for membership in memberships.order_by("pk")[:10]:
            cookie = self._session(membership.user)
            requests += [
                ("school dashboard", "/zh-hans/dashboard/school/", cookie),
                ("school applications", "/zh-hans/applications/school/", cookie),
            ]
            alone += [
                ("school evaluations", "/zh-hans/evaluations/school/", cookie),
                ("school evaluation results", "/zh-hans/evaluations/school/results/", cookie),
                ("school credit", "/zh-hans/credit/school/", cookie),
            ]
            hire = (
                Employment.objects.filter(school=membership.school)
                .order_by("-pk")
                .values_list("code", flat=True)
                .first()
            )
            if hire:
                alone.append(("hire checklist", f"/zh-hans/guidance/hire/{hire}/", cookie))
            busiest = (
                Vacancy.objects.filter(school=membership.school, status=VacancyStatus.PUBLISHED)
                .annotate(received=Count("applications"))
                .order_by("-received", "pk")[:3]
            )
            for vacancy in busiest:
                requests += [
                    (
                        "school applicants",
                        f"/zh-hans/applications/school/vacancy/{vacancy.code}/",
                        cookie,
                    ),
                    (
                        "school candidates",
                        f"/zh-hans/matching/vacancies/{vacancy.code}/candidates/",
                        cookie,
                    ),
                ]
        if not requests:
            raise CommandError("No school staff account in the seeded city.")
        return _spread(MIX["school"], requests) + _alone(alone)

    def _bureau_entries(self) -> list[report.PlanEntry]:
        users = User.objects.filter(role=Role.BUREAU_VIEWER, is_active=True).order_by("pk")[:4]
        requests, alone = [], []
        for user in users:
            cookie = self._session(user)
            alone.append(
                ("bureau satisfaction", "/zh-hans/evaluations/bureau/satisfaction/", cookie)
            )
            requests += [
                ("bureau dashboard", "/zh-hans/dashboard/bureau/", cookie),
                ("bureau vacancies", "/zh-hans/vacancies/bureau/", cookie),
                ("bureau schools", "/zh-hans/schools/bureau/schools/", cookie),
                ("bureau employments", "/zh-hans/employment/bureau/", cookie),
                ("bureau credit", "/zh-hans/credit/bureau/", cookie),
                ("bureau evaluations", "/zh-hans/evaluations/bureau/late/", cookie),
            ]
        if not requests:
            raise CommandError("No bureau account in the seeded city.")
        return _spread(MIX["bureau"], requests) + _alone(alone)

    def _center_entries(self) -> list[report.PlanEntry]:
        users = User.objects.filter(role=Role.CENTER_STAFF, is_active=True).order_by("pk")[:2]
        requests, alone = [], []
        for user in users:
            cookie = self._session(user)
            alone.append(("center assessments", "/zh-hans/evaluations/center/assessments/", cookie))
            requests += [
                ("center dashboard", "/zh-hans/dashboard/center/", cookie),
                ("center guidance overdue", "/zh-hans/guidance/center/overdue/", cookie),
                ("center credit", "/zh-hans/credit/center/recognition/permit/", cookie),
                ("center evaluations", "/zh-hans/evaluations/center/late/", cookie),
                # The reports app's page for the center: the city's statistics and reports.
                ("center reports", "/zh-hans/dashboard/statistics/", cookie),
            ]
        if not requests:
            raise CommandError("No active center staff account in the seeded city.")
        return _spread(MIX["center"], requests) + _alone(alone)


def _spread(weight: int, requests: list[tuple[str, str, str]]) -> list[report.PlanEntry]:
    """Share a role's weight evenly over its requests (at least 1 each)."""
    each = max(1, round(weight / len(requests)))
    return [report.PlanEntry(each, label, path, cookie) for label, path, cookie in requests]


def _alone(requests: list[tuple[str, str, str]]) -> list[report.PlanEntry]:
    """Pages driven alone for their own row, outside the issue's mix (weight 0)."""
    return [report.PlanEntry(0, label, path, cookie) for label, path, cookie in requests]
