import pytest
from django.urls import reverse

DASHBOARDS = {
    "teacher_user": "dashboards:teacher",
    "school_user": "dashboards:school",
    "center_user": "dashboards:center",
    "bureau_user": "dashboards:bureau",
}


@pytest.mark.parametrize("actor", DASHBOARDS)
def test_each_role_lands_on_its_own_dashboard(client, db, request, actor):
    user = request.getfixturevalue(actor)
    client.force_login(user)

    response = client.get(reverse("dashboards:home"), follow=True)

    assert response.redirect_chain[-1][0] == reverse(DASHBOARDS[actor])
    assert response.status_code == 200
    assert user.full_name in response.content.decode()


@pytest.mark.parametrize("actor", DASHBOARDS)
@pytest.mark.parametrize("other_dashboard", DASHBOARDS.values())
def test_a_role_is_refused_the_other_roles_dashboards(client, db, request, actor, other_dashboard):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(reverse(other_dashboard))

    expected = 200 if DASHBOARDS[actor] == other_dashboard else 403
    assert response.status_code == expected


@pytest.mark.parametrize("dashboard", ["dashboards:home", *DASHBOARDS.values()])
def test_anonymous_is_sent_to_login(client, db, dashboard):
    url = reverse(dashboard)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={url}" in response["Location"]


def test_login_with_email_redirects_to_the_dashboard_in_the_users_language(client, school_user):
    from tests.accounts.factories import PASSWORD

    response = client.post(
        reverse("account_login"), {"login": school_user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/dashboard/"


def test_only_center_staff_may_have_admin_access(db):
    from django.db import IntegrityError

    from tests.accounts.factories import TeacherUserFactory

    with pytest.raises(IntegrityError):
        TeacherUserFactory(is_staff=True)


def test_admin_refuses_non_center_roles(client, school_user, center_user):
    client.force_login(school_user)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin login

    client.force_login(center_user)
    assert client.get(reverse("admin:index")).status_code == 200
