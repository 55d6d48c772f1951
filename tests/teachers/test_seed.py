import io

import pytest
from django.utils import timezone

from apps.accounts import seed as accounts_seed
from apps.admission.selectors import evaluate_admission
from apps.core.seeding import Scale, SeedContext
from apps.credit import seed as credit_seed
from apps.credit.models import CreditRecord
from apps.teachers import seed as teachers_seed
from apps.teachers.models import Category, Document, DocumentStatus, Teacher, TeacherStatus

pytestmark = pytest.mark.django_db


def run_seed():
    context = SeedContext(scale=Scale.SMALL, seed=2017, stdout=io.StringIO())
    accounts_seed.seed(context)
    teachers_seed.seed(context)
    credit_seed.seed(context)


def snapshot():
    return (
        Teacher.objects.count(),
        Document.objects.count(),
        CreditRecord.objects.filter(kind="negative").count(),
        sorted(Teacher.objects.values_list("legal_name", "nationality", "category"))[:50],
    )


def test_seed_is_varied_idempotent_and_has_the_demo_profiles():
    run_seed()
    first = snapshot()
    assert first[0] == 502  # 500 plus Emma and James
    assert set(Teacher.objects.values_list("category", flat=True)) == set(Category.values)
    assert Teacher.objects.values("nationality").distinct().count() >= 15
    assert set(Teacher.objects.values_list("status", flat=True)) == set(TeacherStatus.values)
    assert set(Document.objects.values_list("status", flat=True)) == set(DocumentStatus.values)
    assert Document.objects.values("sha256").distinct().count() == Document.objects.count()
    assert CreditRecord.objects.filter(kind="negative", teacher__isnull=False).count() >= 3

    emma = Teacher.objects.get(user__email="teacher.emma@demo.hz-waijiao.cn")
    james = Teacher.objects.get(user__email="teacher.james@demo.hz-waijiao.cn")
    results = evaluate_admission([emma, james], on=timezone.localdate())
    assert results[emma.pk].eligible
    assert len(results[james.pk].failed) >= 4

    eligible = evaluate_admission(Teacher.objects.all(), on=timezone.localdate())
    assert sum(r.eligible for r in eligible.values()) >= 50
    document = Document.objects.exclude(teacher__in=[emma, james]).first()
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"

    run_seed()
    assert snapshot() == first
