"""Why-not explanations read from a run's stored rows, and the live pair explanation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.matching import explanations, services
from apps.matching.engine import RULE_CODES
from apps.matching.models import MatchRun, MatchSuggestion, RunKind, RunStatus
from apps.teachers.models import Document, DocumentKind, TeacherStatus
from tests.credit.factories import restriction_create
from tests.matching.factories import english_teacher, english_vacancy

pytestmark = pytest.mark.django_db


def _done_run(kind=RunKind.FULL) -> MatchRun:
    now = timezone.now()
    today = timezone.localdate()
    season = {"season_start": today - timedelta(days=9), "season_end": today}
    return MatchRun.objects.create(
        kind=kind,
        status=RunStatus.DONE,
        started_at=now,
        finished_at=now,
        **(season if kind == RunKind.STABLE else {}),
    )


def _row(run, teacher, vacancy, score, **kwargs) -> MatchSuggestion:
    return MatchSuggestion.objects.create(
        run=run, teacher=teacher, vacancy=vacancy, score=Decimal(score), **kwargs
    )


def test_every_engine_rule_code_reads_as_a_sentence():
    assert set(explanations.RULE_TEXTS) == set(RULE_CODES)
    assert "14 days" in explanations.rule_text("start_date")


def test_a_teachers_lost_vacancies_are_classified_from_the_run(center_user):
    teacher, rival_high, rival_low = english_teacher(), english_teacher(), english_teacher()
    taken, traded, open_ = (english_vacancy(title_en=t) for t in ("Taken", "Traded", "Open"))
    run = _done_run()
    _row(run, teacher, taken, "70.00", teacher_rank=1, rank=2)
    _row(run, teacher, traded, "70.00", teacher_rank=2, rank=1)
    _row(run, teacher, open_, "65.00", teacher_rank=3, rank=1)
    _row(run, rival_high, taken, "80.00", rank=1, assigned=True)
    _row(run, rival_low, traded, "60.00", rank=2, assigned=True)
    why = explanations.why_not_teacher(run=run, teacher=teacher)
    assert not why.full and why.teacher_check.suggestible
    assert [(r.code, r.vacancy_code) for r in why.reasons] == [
        ("outranked", str(taken.code)),
        ("capacity", str(traded.code)),
        ("not_selected", str(open_.code)),
    ]
    assert "Taken went to a teacher scoring 80.00, at least as much as" in why.reasons[0].text
    assert "60.00, less than this teacher's 70.00" in why.reasons[1].text
    assigned = explanations.why_not_teacher(run=run, teacher=rival_high)
    assert assigned.full and [row.vacancy for row in assigned.matched] == [taken]


def test_a_vacancys_lost_teachers_are_classified_from_the_run():
    vacancy, better, worse = english_vacancy(), english_vacancy(), english_vacancy()
    loyal, trader, idle = english_teacher(), english_teacher(), english_teacher()
    run = _done_run()
    _row(run, loyal, vacancy, "70.00", rank=1)
    _row(run, trader, vacancy, "70.00", rank=2)
    _row(run, idle, vacancy, "50.00", rank=3)
    _row(run, loyal, better, "75.00", rank=1, assigned=True)
    _row(run, trader, worse, "65.00", rank=1, assigned=True)
    why = explanations.why_not_vacancy(run=run, vacancy=vacancy)
    assert [(r.code, r.teacher_id) for r in why.reasons] == [
        ("outranked", loyal.pk),
        ("capacity", trader.pk),
        ("not_selected", idle.pk),
    ]
    assert f"{loyal.legal_name} went to {better.title}, scoring 75.00" in why.reasons[0].text


def test_a_stable_round_speaks_of_preferences():
    teacher, holder = english_teacher(), english_teacher()
    vacancy = english_vacancy()
    run = _done_run(RunKind.STABLE)
    _row(run, teacher, vacancy, "90.00", teacher_rank=1, rank=2)
    _row(run, holder, vacancy, "60.00", teacher_rank=1, rank=1, assigned=True)
    why = explanations.why_not_teacher(run=run, teacher=teacher)
    assert [r.code for r in why.reasons] == ["preferred"]
    assert "preferred the applicant it got (score 60.00" in why.reasons[0].text


def test_the_teacher_check_names_each_failed_condition(center_user):
    teacher = english_teacher()
    today = timezone.localdate()
    assert explanations.teacher_check(teacher, on=today).suggestible
    Document.objects.filter(teacher=teacher, kind=DocumentKind.HEALTH_CHECK).delete()
    teacher.status = TeacherStatus.PENDING
    teacher.open_to_suggestions = False
    teacher.save()
    restriction_create(teacher=teacher, reason="Fraud", starts_on=today, created_by=center_user)
    check = explanations.teacher_check(teacher, on=today)
    assert check.problems == [
        "Not verified: the profile is at “Waiting for review”.",
        "The teacher has not opted in to suggestions.",
        "A credit restriction on the teacher is in force.",
    ]
    # The admission standard's own texts, without repeating verification and the black list.
    assert [rule.code for rule in check.admission_failures] == ["health_check"]


def test_the_live_pair_explanation_agrees_with_the_run(center_user):
    teacher = english_teacher()
    vacancy = english_vacancy()
    run = services.match_run_start(actor=center_user, queue=False)
    services.match_run_execute(run_id=run.pk)
    stored = MatchSuggestion.objects.get(run=run, teacher=teacher, vacancy=vacancy)
    report = explanations.pair_report(teacher=teacher, vacancy=vacancy)
    assert report.explained and not report.failed_rules
    assert Decimal(f"{report.score:.2f}") == stored.score
    assert sum(line.points for line in report.lines) == pytest.approx(report.score, abs=0.01)
