"""Demo foreign teachers of every category and many nationalities, with their document vaults.

Rows go through core.bulk (COPY on PostgreSQL); each document is a tiny generated PDF whose
bytes (so SHA-256) differ. Teachers have deterministic codes (uuid5 of their index), so a
second run only adds what is missing. The demo logins Emma (verified, ready to be matched)
and James (incomplete) get full ORM-built profiles.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.bulk import bulk_insert
from apps.core.fields import keyed_hash
from apps.core.models import District, Language, Subject, TeachingLevel
from apps.core.seeding import DEMO_PASSWORD, SeedContext

from .demo_profiles import seed_demo_profiles
from .models import (
    Category,
    CertificateKind,
    DegreeLevel,
    Document,
    DocumentKind,
    DocumentStatus,
    Experience,
    Teacher,
    TeacherStatus,
    TeachingCertificate,
)
from .seed_data import (
    CATEGORY_WEIGHTS,
    EMAIL_DOMAIN,
    LANGUAGE_SUBJECTS,
    NATIONALITIES,
    NON_LANGUAGE_SUBJECTS,
    REQUIRED_KINDS,
    SEED_DAY,
    SEEDED_AT,
    STATUS_WEIGHTS,
    UNIVERSITIES,
    complete_row,
    document_row,
    teacher_code,
)
from .steps import STEP_SLUGS

__all__ = ["seed", "teacher_code"]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _spec(context: SeedContext, index: int) -> dict:
    rng = context.rng
    nationality, _w, language, firsts, lasts = _weighted(
        rng, [((n, w, lang, f, la), w) for n, w, lang, f, la in NATIONALITIES]
    )
    category = _weighted(rng, CATEGORY_WEIGHTS)
    status = _weighted(rng, STATUS_WEIGHTS)
    age = rng.randint(22, 58) if category != Category.RETIRED else rng.randint(55, 64)
    birth = SEED_DAY - timedelta(days=age * 365 + rng.randint(0, 364))
    return {
        "index": index,
        "name": f"{rng.choice(firsts)} {rng.choice(lasts)}",
        "nationality": nationality,
        "language": language,
        "category": category,
        "status": status,
        "birth": birth,
        "degree": rng.choice(
            [DegreeLevel.BACHELOR] * 6
            + [DegreeLevel.MASTER] * 3
            + [DegreeLevel.DOCTORATE, DegreeLevel.ASSOCIATE]
        ),
        "education_degree": rng.random() < 0.2,
        "university": rng.choice(UNIVERSITIES),
        "years": rng.randint(0, 12),
        "tefl": rng.random() < 0.5,
        "subjects": rng.sample(NON_LANGUAGE_SUBJECTS, k=rng.randint(0, 2)),
        "levels": rng.sample(
            ["kindergarten", "primary", "junior_secondary", "senior_secondary", "vocational"],
            k=rng.randint(1, 3),
        ),
        "districts": rng.randint(0, 3),
        "district_seed": rng.random(),
        "salary": rng.randrange(10_000, 30_000, 1_000),
        "start": SEED_DAY + timedelta(days=rng.randint(30, 300)),
        "passport_years": rng.randint(-1, 9),
        "doc_fate": rng.random(),
    }


def seed(context: SeedContext) -> None:
    count = context.sized(small=500, city=10_000)
    specs = [_spec(context, index) for index in range(count)]
    existing = set(
        Teacher.objects.filter(code__in=[teacher_code(s["index"]) for s in specs]).values_list(
            "code", flat=True
        )
    )
    missing = [s for s in specs if teacher_code(s["index"]) not in existing]
    if missing:
        _insert_teachers(missing)
    seed_demo_profiles()


def _insert_teachers(specs: list[dict]) -> None:
    password = make_password(DEMO_PASSWORD)
    emails = {s["index"]: f"teacher{s['index']:05d}@{EMAIL_DOMAIN}" for s in specs}
    known = set(User.objects.filter(email__in=emails.values()).values_list("email", flat=True))
    bulk_insert(
        User,
        (
            complete_row(
                User,
                {
                    "email": email,
                    "full_name": spec["name"],
                    "role": Role.TEACHER,
                    "password": password,
                    "date_joined": SEEDED_AT,
                },
            )
            for spec in specs
            if (email := emails[spec["index"]]) not in known
        ),
    )
    user_ids = dict(User.objects.filter(email__in=emails.values()).values_list("email", "id"))
    bulk_insert(Teacher, (_teacher_row(spec, user_ids[emails[spec["index"]]]) for spec in specs))
    ids = dict(
        Teacher.objects.filter(code__in=[teacher_code(s["index"]) for s in specs]).values_list(
            "code", "id"
        )
    )
    subjects = dict(Subject.objects.values_list("code", "id"))
    languages = dict(Language.objects.values_list("code", "id"))
    language_subjects = Subject.objects.filter(code__in=LANGUAGE_SUBJECTS).values_list(
        "code", "language__code"
    )
    subject_for_language = {lang: subjects[code] for code, lang in language_subjects}
    levels = dict(TeachingLevel.objects.values_list("code", "id"))
    districts = list(District.objects.values_list("id", flat=True))
    rows = {"subjects": [], "levels": [], "districts": [], "languages": []}
    experiences, certificates, documents = [], [], []
    for spec in specs:
        tid = ids[teacher_code(spec["index"])]
        chosen = {subjects[c] for c in spec["subjects"] if c in subjects}
        if spec["language"] in subject_for_language:
            chosen.add(subject_for_language[spec["language"]])
        if spec["language"] == "en" and "oral_english" in subjects and spec["index"] % 3 == 0:
            chosen.add(subjects["oral_english"])
        if not chosen:
            chosen.add(subjects["mathematics"])
        rows["subjects"] += [{"teacher_id": tid, "subject_id": s} for s in sorted(chosen)]
        rows["levels"] += [
            {"teacher_id": tid, "teachinglevel_id": levels[c]}
            for c in spec["levels"]
            if c in levels
        ]
        if districts and spec["districts"]:
            start = int(spec["district_seed"] * len(districts))
            picked = {districts[(start + k) % len(districts)] for k in range(spec["districts"])}
            rows["districts"] += [{"teacher_id": tid, "district_id": d} for d in sorted(picked)]
        if spec["language"] in languages:
            rows["languages"] += [{"teacher_id": tid, "language_id": languages[spec["language"]]}]
        if spec["years"]:
            started = SEED_DAY - relativedelta(years=spec["years"])
            middle = started + relativedelta(years=max(spec["years"] // 2, 1))
            experiences.append(
                complete_row(
                    Experience,
                    {
                        "teacher_id": tid,
                        "school": "International School",
                        "country": spec["nationality"],
                        "started_on": started,
                        "ended_on": middle,
                        "subjects": "English",
                    },
                )
            )
            experiences.append(
                complete_row(
                    Experience,
                    {
                        "teacher_id": tid,
                        "school": "Community College",
                        "country": "CN",
                        "started_on": middle - timedelta(days=90),
                        "ended_on": None,
                        "subjects": "",
                    },
                )
            )
        if spec["tefl"]:
            certificates.append(
                complete_row(
                    TeachingCertificate,
                    {
                        "teacher_id": tid,
                        "kind": CertificateKind.TEFL,
                        "hours": 120,
                        "issuing_country": "GB",
                        "year": 2018,
                    },
                )
            )
        documents += _documents_for(spec, tid)
    through = Teacher.subjects.through
    bulk_insert(through, rows["subjects"])
    bulk_insert(Teacher.levels.through, rows["levels"])
    bulk_insert(Teacher.preferred_districts.through, rows["districts"])
    bulk_insert(Teacher.native_languages.through, rows["languages"])
    bulk_insert(Experience, experiences)
    bulk_insert(TeachingCertificate, certificates)
    bulk_insert(Document, documents)


def _teacher_row(spec: dict, user_id: int) -> dict:
    index, category, status = spec["index"], spec["category"], spec["status"]
    passport = f"{spec['nationality']}{index:07d}"
    draft = status == TeacherStatus.DRAFT
    return complete_row(
        Teacher,
        {
            "code": teacher_code(index),
            "user_id": user_id,
            "legal_name": spec["name"],
            "date_of_birth": spec["birth"],
            "gender": "female" if index % 2 else "male",
            "nationality": spec["nationality"],
            "current_country": "CN" if index % 3 else spec["nationality"],
            "current_city": "Hangzhou" if index % 3 else "",
            "passport_number": passport,
            "passport_number_hash": keyed_hash(passport),
            "category": category,
            "degree_level": spec["degree"],
            "degree_field": "Education" if spec["education_degree"] else "English literature",
            "degree_is_education": spec["education_degree"],
            "degree_university": spec["university"],
            "degree_country": spec["nationality"],
            "degree_year": spec["birth"].year + 22,
            "intern_university": spec["university"] if category == Category.INTERN else "",
            "intern_expected_graduation": SEED_DAY + timedelta(days=300)
            if category == Category.INTERN
            else None,
            "china_university": "Zhejiang University"
            if category == Category.CHINA_GRADUATE
            else "",
            "china_degree_level": DegreeLevel.MASTER
            if category == Category.CHINA_GRADUATE
            else None,
            "earliest_start": spec["start"],
            "salary_min": spec["salary"],
            "salary_max": spec["salary"] + 5_000,
            "bio": "",
            "open_to_suggestions": index % 10 != 0,
            "status": status,
            "completed_steps": STEP_SLUGS[: 2 + index % 3] if draft else list(STEP_SLUGS),
            "submitted_at": None if draft else SEEDED_AT,
            "verified_at": SEEDED_AT if status == TeacherStatus.VERIFIED else None,
            "rejection_reason": "mismatch" if status == TeacherStatus.REJECTED else "",
            "created_at": SEEDED_AT,
            "updated_at": SEEDED_AT,
        },
    )


def _documents_for(spec: dict, tid: int) -> list[dict]:
    status, fate, index = spec["status"], spec["doc_fate"], spec["index"]
    # Expiry and issue dates follow the day of seeding so the demo stays current.
    today = timezone.localdate()
    if status == TeacherStatus.DRAFT and fate < 0.5:
        return []
    base = {
        TeacherStatus.VERIFIED: DocumentStatus.VERIFIED,
        TeacherStatus.PENDING: DocumentStatus.UPLOADED,
        TeacherStatus.REJECTED: DocumentStatus.REJECTED,
        TeacherStatus.DRAFT: DocumentStatus.UPLOADED,
    }[status]
    rows = []
    for kind in REQUIRED_KINDS:
        doc_status, expires, issued = base, None, None
        if kind == DocumentKind.PASSPORT:
            expires = today + relativedelta(years=spec["passport_years"], days=index % 200)
            if expires <= today:
                doc_status = DocumentStatus.EXPIRED
        if kind == DocumentKind.CRIMINAL_RECORD:
            issued = today - timedelta(days=20 + index % 150)
            expires = issued + relativedelta(months=6)
        if status == TeacherStatus.REJECTED and kind != DocumentKind.DEGREE:
            doc_status = DocumentStatus.VERIFIED
        rows.append(
            document_row(
                tid, None, kind, doc_status, f"{index}-{kind}", expires_on=expires, issued_on=issued
            )
        )
    return rows
