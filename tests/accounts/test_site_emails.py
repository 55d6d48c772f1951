"""Account emails name the portal in the reader's language, never the host or example.com."""

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = "https://waijiao.hangzhou.gov.cn"


def _sign_up(client, language: str) -> mail.EmailMessage:
    with translation.override(language):
        url = reverse("account_signup")
    client.post(
        url,
        {
            "email": f"new.{language}@example.org",
            "password1": "a-long-unique-passphrase",
            "password2": "a-long-unique-passphrase",
        },
    )
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def _assert_no_host_names(message: mail.EmailMessage) -> None:
    text = message.subject + message.body
    for wrong in ("127.0.0.1", "localhost", "example.com"):
        assert wrong not in text


def test_english_verification_email(client, public_address):
    message = _sign_up(client, "en")

    assert message.subject == "[Hangzhou Foreign Teachers] Please Confirm Your Email Address"
    assert message.body.startswith(
        "Hello from the Hangzhou Foreign Teacher Resource Service Network!"
    )
    assert "register an account on waijiao.hangzhou.gov.cn" in message.body
    assert "Thank you for using the Hangzhou Foreign Teacher Resource Service Network." in (
        message.body
    )
    _assert_no_host_names(message)


def test_chinese_verification_email(client, public_address):
    message = _sign_up(client, "zh-hans")

    assert message.subject.startswith("[杭州外教服务网] ")
    assert "Hangzhou Foreign Teachers" not in message.subject
    assert message.body.startswith("您好！这里是杭州市外教资源服务网。")
    assert "感谢您使用杭州市外教资源服务网。" in message.body
    assert "Hello" not in message.body
    _assert_no_host_names(message)


def test_the_sites_framework_names_the_portal_from_settings():
    site = Site.objects.get_current()

    assert site.name == settings.SITE_NAME == "Hangzhou Foreign Teacher Resource Service Network"
    assert site.domain == settings.SITE_URL.split("://", 1)[1].rstrip("/")
    assert site.domain != "example.com"
