"""Behind the proxy: each client's own rate limits, and request bodies capped before reading."""

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.teachers.models import Document, Teacher
from apps.teachers.uploads import MAX_UPLOAD_BYTES
from tests.teachers.factories import pdf_bytes

PROXY = "172.18.0.7"  # REMOTE_ADDR of every request that came through nginx


def _through_proxy(forwarded_for: str):
    return RequestFactory().post(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for, HTTP_X_FORWARDED_PROTO="https"
    )


def test_allauth_sees_the_address_the_proxy_appended(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    adapter = get_adapter()

    assert adapter.get_client_ip(_through_proxy("203.0.113.5")) == "203.0.113.5"
    # A client writing its own X-Forwarded-For only adds addresses to the left of its real one.
    assert adapter.get_client_ip(_through_proxy("10.0.0.1, 203.0.113.5")) == "203.0.113.5"


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0

    assert get_adapter().get_client_ip(_through_proxy("203.0.113.5")) == PROXY


def test_a_trusted_client_ip_header_replaces_the_count(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().post("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.4")

    assert get_adapter().get_client_ip(request) == "198.51.100.4"


def test_rate_limits_count_per_client_behind_the_proxy_in_the_default_cache(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"school_register": "1/h/ip"}
    first, second = _through_proxy("203.0.113.5"), _through_proxy("198.51.100.4")

    assert ratelimit.consume(first, action="school_register")
    assert not ratelimit.consume(first, action="school_register")
    # Another client behind the same proxy keeps its own allowance.
    assert ratelimit.consume(second, action="school_register")
    # The counters live in the default cache (Redis from CACHE_URL in production, shared by
    # every gunicorn worker): clearing it is what resets them.
    caches["default"].clear()
    assert ratelimit.consume(first, action="school_register")


@pytest.fixture
def signed_in_teacher(client, teacher_user):
    Teacher.objects.create(user=teacher_user, legal_name="Emma Clarke")
    client.force_login(teacher_user)
    return client


def _upload(client, content: bytes, *, language: str = "en"):
    with translation.override(language):
        url = reverse("teachers:documents")
    data = {"authentication": "none", "kind": "cv", "file": SimpleUploadedFile("cv.pdf", content)}
    return client.post(url, data)


@pytest.mark.django_db
def test_a_body_over_the_cap_gets_413_in_the_visitors_language(signed_in_teacher, settings):
    settings.REQUEST_BODY_MAX_BYTES = 64 * 1024
    content = pdf_bytes() + b"0" * settings.REQUEST_BODY_MAX_BYTES

    response = _upload(signed_in_teacher, content, language="zh-hans")

    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()
    assert not Document.objects.exists()
    assert _upload(signed_in_teacher, pdf_bytes()).status_code == 302


@pytest.mark.django_db
def test_a_scan_just_over_10_mb_gets_the_forms_own_message_not_the_cap(signed_in_teacher):
    head = pdf_bytes()
    content = head + b"0" * (MAX_UPLOAD_BYTES + 1 - len(head))

    response = _upload(signed_in_teacher, content)

    assert response.status_code == 400
    assert "larger than 10 MB" in response.context["form"].errors["file"][0]
