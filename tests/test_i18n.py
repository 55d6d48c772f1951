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
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid
            )


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
