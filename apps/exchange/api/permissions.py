"""Scope checks: a view names the scope it needs; one place decides."""

from rest_framework.permissions import BasePermission

from ..models import ApiClient


def client_of(request) -> ApiClient | None:
    """Return the authenticated API client of a DRF request, or None."""
    return request.auth if isinstance(request.auth, ApiClient) else None


class HasScope(BasePermission):
    """Admit an authenticated client holding the view's `required_scope` (any client if None)."""

    def has_permission(self, request, view) -> bool:
        client = client_of(request)
        if client is None:
            return False
        required = getattr(view, "required_scope", None)
        return required is None or required in client.scopes
