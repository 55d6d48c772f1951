"""Who may open which role's pages: the one place views ask."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Role

ViewFunc = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Let only active users of the given roles in: anonymous → login, other roles → 403."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


teacher_required = role_required(Role.TEACHER)
school_staff_required = role_required(Role.SCHOOL_STAFF)
center_staff_required = role_required(Role.CENTER_STAFF)
bureau_viewer_required = role_required(Role.BUREAU_VIEWER)


def is_center_staff_actor(actor: Any) -> bool:
    """Whether a service's actor is a signed-in member of the service center."""
    return bool(getattr(actor, "is_authenticated", False) and actor.is_center_staff)


def require_center_staff(actor: Any) -> None:
    """Raise PermissionDenied unless the actor is a signed-in member of the service center."""
    if not is_center_staff_actor(actor):
        raise PermissionDenied
