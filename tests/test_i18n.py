import json
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_ui_string_has_a_chinese_translation():
    catalogue = polib.pofile(str(CATALOGUE))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_named_placeholders():
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        # English may leave the count out of its singular ("every minute"); Chinese has one
        # form for every count, so it follows the plural.
        source = entry.msgid_plural or entry.msgid
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), entry.msgid


@pytest.mark.parametrize(
    ("language", "title", "button"),
    [
        (
            "en",
            "Hangzhou Foreign Teacher Resource Service Network",
            "I am a foreign teacher: sign up",
        ),
        ("zh-hans", "杭州市外教资源服务网", "我是外教：立即注册"),
    ],
)
def test_home_page_renders_in_both_languages(client, db, language, title, button):
    with translation.override(language):
        url = reverse("home")

    page = client.get(url).content.decode()

    assert url == f"/{language}/"
    assert f'<html lang="{language}">' in page
    assert title in page
    assert button in page


def test_unprefixed_url_redirects_to_a_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


# --- One English word, two meanings (issue 12, item 8) ---

STEP_HEADINGS_ZH = {
    "personal": "第 1 步：个人信息",
    "category": "第 2 步：您的类别",
    "education": "第 3 步：学历与证书",
    "experience": "第 4 步：教学经历",
    "preferences": "第 5 步：任教科目与地区",
}
# What the vacancy's and the policy's *minimum* requirements say: never a teacher's own record.
REQUIREMENT_LABELS_ZH = ["最低教学经历（年）", "教学证书最低学时"]


def _heading(page: str, tag: str = "h1") -> str:
    match = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", page, re.S)
    assert match, f"no <{tag}> on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.mark.parametrize(("slug", "heading"), STEP_HEADINGS_ZH.items())
def test_each_profile_step_has_its_own_heading_in_chinese(client, db, slug, heading):
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory()
    client.force_login(teacher.user)

    page = client.get(f"/zh-hans/teacher/profile/{slug}/").content.decode()

    assert _heading(page) == heading
    assert not [label for label in REQUIREMENT_LABELS_ZH if label in page]


def test_profile_step_formsets_name_the_teachers_own_record_in_chinese(client, db):
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory()
    client.force_login(teacher.user)

    education = client.get("/zh-hans/teacher/profile/education/").content.decode()
    experience = client.get("/zh-hans/teacher/profile/experience/").content.decode()

    assert _heading(education, "h2") == "教学证书"
    assert _heading(experience, "h2") == "教学岗位"


def test_teacher_dashboard_lists_the_experience_step_by_its_chinese_name(client, db):
    from tests.teachers.factories import TeacherFactory

    teacher = TeacherFactory(completed_steps=[])
    client.force_login(teacher.user)

    page = client.get("/zh-hans/dashboard/", follow=True).content.decode()

    assert ">教学经历</a>" in page
    assert not [label for label in REQUIREMENT_LABELS_ZH if label in page]


def test_schools_applicant_page_shows_the_teachers_experience_headings_in_chinese(
    client, liaison_a, school_a
):
    from apps.teachers.models import CertificateKind, TeachingCertificate
    from tests.applications.factories import ApplicationFactory, english_vacancy

    application = ApplicationFactory(vacancy=english_vacancy(school=school_a))
    TeachingCertificate.objects.create(
        teacher=application.teacher, kind=CertificateKind.CELTA, hours=120
    )
    client.force_login(liaison_a)

    page = client.get(f"/zh-hans/applications/school/{application.code}/").content.decode()

    headings = [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page)
    ]
    assert "教学经历" in headings
    assert "教学证书" in headings
    assert not [label for label in REQUIREMENT_LABELS_ZH if label in page]


def test_applicants_are_sorted_by_name_as_a_persons_name_in_chinese(client, liaison_a, school_a):
    from tests.applications.factories import english_vacancy

    vacancy = english_vacancy(school=school_a)
    client.force_login(liaison_a)

    page = client.get(f"/zh-hans/applications/school/vacancy/{vacancy.code}/").content.decode()

    assert re.search(r'<a href="\?sort=name"[^>]*>姓名</a>', page)


def test_from_and_to_mean_dates_on_experience_and_statuses_on_history(admin_client, db):
    from apps.applications.models import ApplicationEvent
    from tests.applications.factories import ApplicationFactory

    application = ApplicationFactory()
    ApplicationEvent.objects.create(
        application=application,
        from_status="",
        to_status=application.status,
        note_code="reply_by",
        note_params={"date": "2027-01-10"},
    )
    teacher = application.teacher

    teacher_admin = admin_client.get(
        f"/zh-hans/admin/teachers/teacher/{teacher.pk}/change/"
    ).content.decode()
    application_admin = admin_client.get(
        f"/zh-hans/admin/applications/application/{application.pk}/change/"
    ).content.decode()

    assert "起始日期" in teacher_admin and "结束日期" in teacher_admin
    assert "原状态" not in teacher_admin
    assert "原状态" in application_admin and "新状态" in application_admin
    assert "请于 2027-01-10 前答复。" in application_admin
    with translation.override("zh-hans"):
        # The black list's dates ("from" … "until") share the date meaning.
        assert translation.gettext("from") == "起始日期"
        assert translation.pgettext("status change", "from") == "原状态"


# --- The admin's JavaScript catalogue (filter-horizontal widget) ---

JS_GETTEXT = re.compile(r"""\bgettext\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*\)""")


def _admin_js_msgids() -> set[str]:
    import django.contrib.admin

    folder = Path(django.contrib.admin.__file__).parent / "static/admin/js"
    msgids = set()
    for script in folder.rglob("*.js"):
        if "vendor" in script.parts:
            continue
        for _quote, text in JS_GETTEXT.findall(script.read_text(encoding="utf-8")):
            msgids.add(text.replace("\\'", "'").replace('\\"', '"'))
    return msgids


def test_every_string_of_the_admins_javascript_has_chinese(admin_client):
    page = admin_client.get("/zh-hans/admin/core/schooltype/add/").content.decode()
    assert '<script src="/zh-hans/admin/jsi18n/"></script>' in page
    script = admin_client.get("/zh-hans/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))

    missing = sorted(msgid for msgid in _admin_js_msgids() if not catalogue.get(msgid))

    assert missing == []
    assert catalogue["Choose all %s"] == "全选%s"
