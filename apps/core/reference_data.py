"""The reference data the portal starts with (loaded by a data migration, edited in admin).

Districts come from data/hangzhou_districts.json (national division codes, after the 2021
adjustment, plus the West Lake Scenic Area under the portal's own code).
"""

import json
from pathlib import Path

DISTRICTS_FILE = Path(__file__).with_name("data") / "hangzhou_districts.json"

# (code, English, Chinese)
TEACHING_LEVELS = [
    ("kindergarten", "Kindergarten", "幼儿园"),
    ("primary", "Primary school", "小学"),
    ("junior_secondary", "Junior secondary school", "初中"),
    ("senior_secondary", "Senior secondary school", "高中"),
    ("vocational", "Vocational / technical school", "中职 / 技工院校"),
]

# (code, English, Chinese, level codes)
SCHOOL_TYPES = [
    ("kindergarten", "Kindergarten", "幼儿园", ["kindergarten"]),
    ("primary", "Primary school", "小学", ["primary"]),
    ("junior_secondary", "Junior secondary school", "初级中学", ["junior_secondary"]),
    ("senior_secondary", "Senior secondary school", "高级中学", ["senior_secondary"]),
    (
        "complete_secondary",
        "Complete secondary school (junior + senior)",
        "完全中学",
        ["junior_secondary", "senior_secondary"],
    ),
    ("nine_year", "Nine-year school", "九年一贯制学校", ["primary", "junior_secondary"]),
    (
        "twelve_year",
        "Twelve-year school",
        "十二年一贯制学校",
        ["primary", "junior_secondary", "senior_secondary"],
    ),
    ("vocational", "Vocational / technical school", "中等职业学校 / 技工院校", ["vocational"]),
]

# (code, English, Chinese, native-speaker countries as ISO 3166 alpha-2)
LANGUAGES = [
    ("en", "English", "英语", ["US", "GB", "CA", "AU", "NZ", "IE", "ZA"]),
    ("ja", "Japanese", "日语", ["JP"]),
    ("fr", "French", "法语", ["FR", "BE", "CH", "CA", "LU", "MC"]),
    ("de", "German", "德语", ["DE", "AT", "CH", "LI", "LU"]),
    (
        "es",
        "Spanish",
        "西班牙语",
        ["ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "UY", "CR", "PA", "CU", "DO"],
    ),
    ("ko", "Korean", "韩语", ["KR"]),
    ("ru", "Russian", "俄语", ["RU", "BY", "KZ", "KG"]),
    ("it", "Italian", "意大利语", ["IT", "SM", "CH"]),
    ("pt", "Portuguese", "葡萄牙语", ["PT", "BR"]),
]

# (code, English, Chinese, language code or None)
SUBJECTS = [
    ("oral_english", "Oral English", "英语口语", "en"),
    ("english", "English", "英语", "en"),
    ("japanese", "Japanese", "日语", "ja"),
    ("french", "French", "法语", "fr"),
    ("german", "German", "德语", "de"),
    ("spanish", "Spanish", "西班牙语", "es"),
    ("korean", "Korean", "韩语", "ko"),
    ("russian", "Russian", "俄语", "ru"),
    ("italian", "Italian", "意大利语", "it"),
    ("portuguese", "Portuguese", "葡萄牙语", "pt"),
    ("science", "Science", "科学", None),
    ("mathematics", "Mathematics", "数学", None),
    ("art", "Art", "美术", None),
    ("music", "Music", "音乐", None),
    ("physical_education", "Physical education", "体育", None),
    ("ib", "IB Diploma courses", "IB 国际文凭课程", None),
    ("ap", "AP courses", "AP 课程", None),
    ("a_level", "A-level courses", "A-Level 课程", None),
]


def districts() -> list[dict]:
    return json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))["districts"]


def load_reference_data(apps) -> None:
    """Create or refresh every reference row (idempotent; used by the data migration)."""

    def upsert(model_name: str, code: str, en: str, zh: str, order: int, **extra):
        model = apps.get_model("core", model_name)
        row, _created = model.objects.update_or_create(
            code=code,
            defaults={"name": en, "name_en": en, "name_zh_hans": zh, "sort_order": order, **extra},
        )
        return row

    for order, item in enumerate(districts()):
        upsert("District", item["code"], item["name_en"], item["name_zh"], order, kind=item["kind"])
    levels = {
        code: upsert("TeachingLevel", code, en, zh, order)
        for order, (code, en, zh) in enumerate(TEACHING_LEVELS)
    }
    for order, (code, en, zh, level_codes) in enumerate(SCHOOL_TYPES):
        school_type = upsert("SchoolType", code, en, zh, order)
        school_type.levels.set([levels[level] for level in level_codes])
    languages = {
        code: upsert("Language", code, en, zh, order, native_countries=",".join(countries))
        for order, (code, en, zh, countries) in enumerate(LANGUAGES)
    }
    for order, (code, en, zh, language) in enumerate(SUBJECTS):
        upsert(
            "Subject",
            code,
            en,
            zh,
            order,
            group="language" if language else "non_language",
            language=languages[language] if language else None,
        )
