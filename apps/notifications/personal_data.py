from typing import Any

from .models import Notification


def export_notifications(user: Any) -> dict[str, Any]:
    return {
        "inbox": [
            {
                "title": n.title,
                "message": n.body,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ]
    }


def erase_notifications(user: Any) -> None:
    Notification.objects.filter(recipient=user).delete()
