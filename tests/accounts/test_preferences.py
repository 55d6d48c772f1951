from django.urls import reverse

from apps.core.models import AuditEvent


def test_teacher_changes_language_and_timezone(client, teacher_user):
    client.force_login(teacher_user)

    response = client.post(
        reverse("accounts:preferences"),
        {
            "full_name": "Emma Clarke",
            "language": "zh-hans",
            "timezone": "Europe/London",
            "email_notifications": "",
        },
    )

    teacher_user.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/account/preferences/"
    assert (teacher_user.language, teacher_user.timezone) == ("zh-hans", "Europe/London")
    assert teacher_user.email_notifications is False
    assert AuditEvent.objects.filter(action="account.preferences", actor=teacher_user).exists()


def test_invalid_timezone_rerenders_with_input_kept(client, teacher_user):
    client.force_login(teacher_user)

    response = client.post(
        reverse("accounts:preferences"),
        {"full_name": "Emma Typed This", "language": "en", "timezone": "Mars/Olympus"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Emma Typed This" in page
    assert "Select a valid choice" in page
    teacher_user.refresh_from_db()
    assert teacher_user.full_name == "Emma Clarke"


def test_language_switch_is_remembered_on_the_user(client, teacher_user):
    client.force_login(teacher_user)

    response = client.post(
        reverse("switch_language"), {"language": "zh-hans", "next": "/en/dashboard/teacher/"}
    )

    assert response["Location"] == "/zh-hans/dashboard/teacher/"
    teacher_user.refresh_from_db()
    assert teacher_user.language == "zh-hans"


def test_language_switch_refuses_foreign_redirects(client, db):
    response = client.post(
        reverse("switch_language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/en/"


def test_a_service_error_about_a_field_not_on_the_form_is_shown_not_a_crash(
    client, teacher_user, monkeypatch
):
    from django.core.exceptions import ValidationError

    from apps.accounts import services

    def refuse(**kwargs):
        raise ValidationError({"email": "This account is locked for changes."})

    monkeypatch.setattr(services, "user_update_preferences", refuse)
    client.force_login(teacher_user)

    response = client.post(
        reverse("accounts:preferences"),
        {"full_name": "Emma Typed This", "language": "en", "timezone": "Europe/London"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This account is locked for changes."]
    assert "Emma Typed This" in response.content.decode()
