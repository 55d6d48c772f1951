from typing import Any

from allauth.account.models import EmailAddress


def export_account(user: Any) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "language": user.language,
        "timezone": user.timezone,
        "email_notifications": user.email_notifications,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
    }


def erase_account(user: Any) -> None:
    # The login row itself is deleted by the deletion service after every app has erased.
    EmailAddress.objects.filter(user=user).delete()
