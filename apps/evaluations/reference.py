"""The first published rubric and the survey questions, loaded by a data migration.

Center staff edit both in admin afterwards; this is only the starting text (en, zh-hans).
"""

RUBRIC_V1 = {
    "law_compliance": [
        (
            1,
            "Broke laws or school rules seriously or repeatedly.",
            "严重或多次违反法律法规或校规。",
        ),
        (2, "Broke rules more than once; needed formal warnings.", "多次违反规定，受到正式警告。"),
        (3, "Minor lapses, corrected after a reminder.", "偶有小的疏失，提醒后即改正。"),
        (4, "Followed laws and school rules throughout.", "始终遵守法律法规和学校规章制度。"),
        (
            5,
            "Exemplary: followed every rule and helped others to do so.",
            "模范遵守各项规定，并帮助他人遵守。",
        ),
    ],
    "teaching_duties": [
        (1, "Did not fulfil the teaching duties agreed.", "未能履行约定的教学职责。"),
        (
            2,
            "Often missed lessons or preparation; quality well below expectations.",
            "经常缺课或备课不足，教学质量明显低于要求。",
        ),
        (3, "Fulfilled the agreed duties at an acceptable level.", "基本履行约定的教学职责。"),
        (
            4,
            "Well-prepared, engaging lessons; cooperated with colleagues.",
            "备课充分，课堂生动，与同事合作良好。",
        ),
        (
            5,
            "Outstanding teaching that raised students' results and helped colleagues.",
            "教学成绩突出，提升了学生水平并带动同事。",
        ),
    ],
    "daily_conduct": [
        (1, "Serious misconduct in daily life.", "日常生活中有严重不当行为。"),
        (2, "Repeated complaints about conduct.", "多次因个人行为被投诉。"),
        (3, "Occasional issues, resolved after talking.", "偶有问题，沟通后得到解决。"),
        (
            4,
            "Respectful, reliable and well integrated.",
            "尊重他人，守信可靠，融入良好。",
        ),
        (
            5,
            "A role model in the school community and beyond.",
            "在学校及社区中堪称表率。",
        ),
    ],
}

# (direction, code, English, Chinese)
SURVEY_QUESTIONS = [
    (
        "teacher_school",
        "workload",
        "My workload is as agreed in the contract.",
        "工作量与合同约定一致。",
    ),
    (
        "teacher_school",
        "liaison_support",
        "The foreign-affairs liaison supports me well.",
        "外事联络人为我提供了良好的支持。",
    ),
    (
        "teacher_school",
        "housing_benefits",
        "Housing and benefits are as promised.",
        "住房和福利待遇与承诺一致。",
    ),
    (
        "teacher_school",
        "permit_help",
        "The school helps me with permits and registrations.",
        "学校协助我办理许可和登记手续。",
    ),
    (
        "teacher_school",
        "inclusion",
        "I am included in the life of the school.",
        "我能融入学校生活。",
    ),
    (
        "teacher_school",
        "overall",
        "Overall, I am satisfied with the school.",
        "总体而言，我对学校满意。",
    ),
    ("school_teacher", "punctuality", "The teacher is punctual.", "该教师守时。"),
    (
        "school_teacher",
        "lesson_quality",
        "The teacher's lessons are of good quality.",
        "该教师授课质量好。",
    ),
    (
        "school_teacher",
        "cooperation",
        "The teacher cooperates well with colleagues.",
        "该教师与同事合作良好。",
    ),
    ("school_teacher", "conduct", "The teacher's conduct is appropriate.", "该教师言行得体。"),
    (
        "school_teacher",
        "overall",
        "Overall, we are satisfied with the teacher.",
        "总体而言，我们对该教师满意。",
    ),
]


def load_reference(Rubric, RubricLevel, SurveyQuestion) -> None:
    """Create rubric v1 and the survey questions unless they exist (migration and seed)."""
    rubric, created = Rubric.objects.get_or_create(
        version=1, defaults={"is_published": True, "note": "First version"}
    )
    if created:
        RubricLevel.objects.bulk_create(
            RubricLevel(
                rubric=rubric,
                dimension=dimension,
                score=score,
                description=en,
                description_en=en,
                description_zh_hans=zh,
            )
            for dimension, levels in RUBRIC_V1.items()
            for score, en, zh in levels
        )
    for order, (direction, code, en, zh) in enumerate(SURVEY_QUESTIONS):
        SurveyQuestion.objects.get_or_create(
            direction=direction,
            code=code,
            defaults={"text": en, "text_en": en, "text_zh_hans": zh, "sort_order": order},
        )
