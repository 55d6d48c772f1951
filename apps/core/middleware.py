"""Security headers for every response, and the audit row of every CSV export."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .exports import export_audit

# The portal uses none of these browser features; deny them to every frame, ours included.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "interest-cohort=()"
)
NO_STORE = "private, no-store"


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; no caching of signed-in pages or of any download."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        # The API replaces request.user with its token client's anonymous user, so credentials
        # sent (a session cookie, a bearer token) count as signed in too.
        signed_in = (
            bool(user is not None and user.is_authenticated)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META
        )
        download = response.get("Content-Disposition", "").startswith("attachment")
        # A response a view declared public (the favicon) holds nothing personal.
        public = "public" in response.get("Cache-Control", "")
        if (signed_in and not public) or download:
            # Personal data must not stay in a shared browser's or a proxy's cache.
            response["Cache-Control"] = NO_STORE
            response["Pragma"] = "no-cache"
        if getattr(response, "export_name", None):
            export_audit(request=request, response=response)
        return response
