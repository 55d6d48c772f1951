from django.urls import reverse

from apps.notifications.services import notify
from tests.accounts.factories import TeacherUserFactory


def _notify(user, title="Hello"):
    return notify(recipient=user, kind="test", title=title)


def test_inbox_shows_only_my_notifications_and_the_unread_badge(client, teacher_user):
    _notify(teacher_user, "Mine")
    _notify(TeacherUserFactory(), "Someone else's")
    client.force_login(teacher_user)

    response = client.get(reverse("notifications:inbox"))

    page = response.content.decode()
    assert "Mine" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert 'data-testid="unread-count">1<' in page


def test_marking_read_clears_the_badge(client, teacher_user):
    notification = _notify(teacher_user)
    client.force_login(teacher_user)

    client.post(reverse("notifications:mark_read", args=[notification.code]))

    notification.refresh_from_db()
    assert notification.is_read
    assert (
        'data-testid="unread-count"'
        not in client.get(reverse("dashboards:teacher")).content.decode()
    )


def test_cannot_mark_another_users_notification(client, teacher_user):
    other = _notify(TeacherUserFactory())
    client.force_login(teacher_user)

    response = client.post(reverse("notifications:mark_read", args=[other.code]))

    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.is_read


def test_marking_an_already_read_notification_again_just_returns_to_the_inbox(client, teacher_user):
    notification = _notify(teacher_user)
    client.force_login(teacher_user)
    url = reverse("notifications:mark_read", args=[notification.code])
    client.post(url)

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")


def test_inbox_query_count_does_not_grow_with_notifications(
    client, teacher_user, django_assert_max_num_queries
):
    for i in range(30):
        _notify(teacher_user, f"N{i}")
    client.force_login(teacher_user)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 200


def test_anonymous_inbox_goes_to_login(client, db):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_badge_follows_new_and_read_notifications_without_recounting(
    client, teacher_user, django_assert_num_queries
):
    client.force_login(teacher_user)
    inbox = reverse("notifications:inbox")
    first = _notify(teacher_user, "First")
    client.get(inbox)  # counts once; later pages read the cached count

    _notify(teacher_user, "Second")
    assert 'data-testid="unread-count">2<' in client.get(inbox).content.decode()
    client.post(reverse("notifications:mark_read", args=[first.code]))
    assert 'data-testid="unread-count">1<' in client.get(inbox).content.decode()
    client.post(reverse("notifications:mark_all_read"))
    assert 'data-testid="unread-count"' not in client.get(inbox).content.decode()


def test_a_cached_badge_is_dropped_when_the_change_commits(
    client, teacher_user, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from apps.notifications.selectors import notification_unread_count, unread_count_key

    with django_capture_on_commit_callbacks(execute=True):
        _notify(teacher_user, "First")
        # Another request caches the count while the notification is not yet committed.
        cache.set(unread_count_key(teacher_user.pk), 0)

    assert notification_unread_count(user=teacher_user) == 1


def test_one_users_badge_is_not_anothers(client, teacher_user):
    other = TeacherUserFactory()
    _notify(other, "Theirs")
    client.force_login(other)
    client.get(reverse("notifications:inbox"))
    client.force_login(teacher_user)

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert 'data-testid="unread-count"' not in page
