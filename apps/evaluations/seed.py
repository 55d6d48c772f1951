"""Demo evaluations: four past quarters, mostly submitted with a realistic spread of scores,
some submitted late, some never submitted, a few serious incidents, surveys answered by about
60 % of people, and the center's assessment of about half of the schools.

A second run finds the first round and stops, so `seed_demo` twice changes nothing.
"""

import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from apps.core.bulk import bulk_insert
from apps.core.dates import Quarter
from apps.core.seeding import SeedContext
from apps.core.selectors import policy_settings_get
from apps.credit.models import EvaluationResult
from apps.credit.services import star_levels_recompute_all
from apps.schools.models import School, SchoolMembership

from .caching import survey_results_changed
from .models import (
    Evaluation,
    EvaluationRound,
    EvaluationStatus,
    SchoolAssessment,
    SurveyAnswer,
    SurveyDirection,
    SurveyQuestion,
    SurveyResponse,
)
from .selectors.evaluations import rubric_current
from .selectors.indicators import school_indicators
from .services.rounds import round_deadline, shares_employed_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEDED_AT = datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI)
QUARTERS = [Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)]
SCORES, SCORE_WEIGHTS = [1, 2, 3, 4, 5], [2, 6, 22, 45, 25]
COMMENTS = [
    "",
    "遵守学校各项规章制度。",
    "备课认真，课堂气氛活跃，学生反映良好。",
    "与中方教师合作愉快，积极参加教研活动。",
    "偶有迟到，提醒后已改正。",
    "Punctual and well prepared.",
]
INCIDENTS = [
    "在课堂上与学生发生肢体冲突，学校已报告区教育局。",
    "未经批准在校外培训机构兼职授课。",
]


def _moment(rng, day) -> datetime:
    return datetime.combine(day, time(rng.randrange(8, 18), rng.randrange(60)), SHANGHAI)


def _evaluation_row(rng, round_: dict, share: tuple, rubric_id) -> dict:
    employment_id, school_id, teacher_id = share
    row = {
        "code": uuid.UUID(int=rng.getrandbits(128), version=4),
        "round_id": round_["id"],
        "employment_id": employment_id,
        "school_id": school_id,
        "teacher_id": teacher_id,
        "rubric_id": rubric_id,
        "status": EvaluationStatus.DRAFT,
        "law_compliance_score": None,
        "law_compliance_comment": "",
        "teaching_duties_score": None,
        "teaching_duties_comment": "",
        "daily_conduct_score": None,
        "daily_conduct_comment": "",
        "overall_comment": "",
        "serious_incident": False,
        "incident_description": "",
        "incident_reported_at": None,
        "submitted_at": None,
        "submitted_by_id": None,
        "reopen_reason": "",
        "teacher_response": "",
        "responded_at": None,
        "created_at": _moment(rng, round_["ends_on"] + timedelta(days=1)),
        "updated_at": SEEDED_AT,
    }
    fate = rng.random()
    if fate < 0.07:
        return row  # never submitted: late in the center's queue
    deadline = round_["deadline"]
    if fate < 0.17:
        day = min(deadline + timedelta(days=rng.randrange(1, 25)), SEEDED_AT.date())
    else:
        day = round_["ends_on"] + timedelta(
            days=rng.randrange(1, (deadline - round_["ends_on"]).days)
        )
    scores = rng.choices(SCORES, SCORE_WEIGHTS, k=3)
    row |= {
        "status": EvaluationStatus.SUBMITTED,
        "law_compliance_score": scores[0],
        "teaching_duties_score": scores[1],
        "daily_conduct_score": scores[2],
        "law_compliance_comment": rng.choice(COMMENTS),
        "teaching_duties_comment": rng.choice(COMMENTS),
        "overall_comment": rng.choice(COMMENTS[1:]),
        "submitted_at": _moment(rng, day),
    }
    if rng.random() < 0.08:
        row |= {
            "teacher_response": "Thank you for the feedback; I will keep working on it.",
            "responded_at": row["submitted_at"] + timedelta(days=3),
        }
    return row


def seed(context: SeedContext) -> None:
    rng = random.Random(context.seed + 7001)  # noqa: S311 - demo data
    if EvaluationRound.objects.filter(quarter=str(QUARTERS[0])).exists():
        return
    days = policy_settings_get().evaluation_deadline_days
    rubric = rubric_current()
    rows = []
    for quarter in QUARTERS:
        round_ = EvaluationRound.objects.create(
            quarter=str(quarter),
            starts_on=quarter.start,
            ends_on=quarter.end,
            deadline=round_deadline(quarter, extension_days=days),
        )
        EvaluationRound.objects.filter(pk=round_.pk).update(
            opened_at=datetime.combine(quarter.next().start, time(2), SHANGHAI)
        )
        info = {"id": round_.pk, "ends_on": round_.ends_on, "deadline": round_.deadline}
        shares = shares_employed_in(quarter).order_by("employment_id", "school_id")
        for share in shares.values_list("employment_id", "school_id", "employment__teacher_id"):
            rows.append(_evaluation_row(rng, info, share, rubric.pk if rubric else None))
    submitted = [row for row in rows if row["status"] == EvaluationStatus.SUBMITTED]
    for row in rng.sample(submitted, min(len(submitted), context.sized(small=3, city=40))):
        row |= {
            "serious_incident": True,
            "incident_description": rng.choice(INCIDENTS),
            "incident_reported_at": row["submitted_at"],
            "daily_conduct_score": rng.choice([1, 2]),
        }
    bulk_insert(Evaluation, rows)
    _seed_results()
    _seed_surveys(rng)
    _seed_assessments(rng)


def _seed_results() -> None:
    """Report the submitted scores to credit, then let credit derive the star levels."""
    submitted = Evaluation.objects.filter(status=EvaluationStatus.SUBMITTED).values(
        "code",
        "teacher_id",
        "round__starts_on",
        "law_compliance_score",
        "teaching_duties_score",
        "daily_conduct_score",
        "serious_incident",
    )
    # Read before writing: on PostgreSQL bulk_insert streams a COPY, and the connection
    # cannot fetch the next chunk of a server-side cursor while the COPY is open.
    bulk_insert(
        EvaluationResult,
        [
            {
                "source_code": row["code"],
                "teacher_id": row["teacher_id"],
                "quarter_start": row["round__starts_on"],
                "law_compliance": Decimal(row["law_compliance_score"]),
                "teaching_duties": Decimal(row["teaching_duties_score"]),
                "daily_conduct": Decimal(row["daily_conduct_score"]),
                "serious_incident": row["serious_incident"],
                "recorded_at": SEEDED_AT,
            }
            for row in submitted
        ],
    )
    star_levels_recompute_all()


def _seed_surveys(rng) -> None:
    questions = {
        direction: list(
            SurveyQuestion.objects.filter(direction=direction, is_active=True).values_list(
                "pk", flat=True
            )
        )
        for direction in SurveyDirection
    }
    liaison = dict(
        SchoolMembership.objects.filter(is_liaison=True, is_active=True).values_list(
            "school_id", "user_id"
        )
    )
    responses = []
    scores = {}
    evaluations = Evaluation.objects.order_by("pk").values(
        "pk", "school_id", "teacher__user_id", "round__deadline"
    )
    for evaluation in evaluations.iterator(chunk_size=2000):
        for direction, respondent in (
            (SurveyDirection.TEACHER_ABOUT_SCHOOL, evaluation["teacher__user_id"]),
            (SurveyDirection.SCHOOL_ABOUT_TEACHER, liaison.get(evaluation["school_id"])),
        ):
            if rng.random() >= 0.6:
                continue
            code = uuid.UUID(int=rng.getrandbits(128), version=4)
            mood = rng.choices([2, 3, 4, 5], [5, 20, 45, 30])[0]
            responses.append(
                {
                    "code": code,
                    "evaluation_id": evaluation["pk"],
                    "direction": direction,
                    "respondent_id": respondent,
                    "comment": "",
                    "submitted_at": _moment(
                        rng, evaluation["round__deadline"] - timedelta(days=rng.randrange(1, 25))
                    ),
                }
            )
            scores[code] = [
                (question, max(1, min(5, mood + rng.choice([-1, 0, 0, 1]))))
                for question in questions[direction]
            ]
    bulk_insert(SurveyResponse, responses)
    # Only this seed has written responses (a second run stops before), so all are ours.
    ids = dict(SurveyResponse.objects.values_list("code", "pk"))
    bulk_insert(
        SurveyAnswer,
        (
            {"response_id": ids[code], "question_id": question, "score": score}
            for code, answers in scores.items()
            for question, score in answers
        ),
    )
    survey_results_changed()  # bulk inserts send no signal


def _seed_assessments(rng) -> None:
    for round_ in EvaluationRound.objects.order_by("starts_on"):
        school_ids = sorted(
            set(Evaluation.objects.filter(round=round_).values_list("school_id", flat=True))
        )
        chosen = [pk for pk in school_ids if rng.random() < 0.5]
        schools = School.objects.filter(pk__in=chosen).only("pk")
        indicators = school_indicators(round=round_, schools=schools, today=SEEDED_AT.date())
        bulk_insert(
            SchoolAssessment,
            [
                {
                    "code": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "round_id": round_.pk,
                    "school_id": pk,
                    "score": rng.choices(SCORES, [1, 4, 25, 45, 25])[0],
                    "comment": "外籍教师管理规范，材料齐全。",
                    "indicators": {item.code: item.as_json() for item in indicators[pk]},
                    "assessed_by_id": None,
                    "assessed_at": SEEDED_AT,
                }
                for pk in chosen
            ],
        )
