"""Security headers for every response, the audit row of every CSV export, the body size cap."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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


class RequestSizeLimitMiddleware:
    """Answer 413 to a request declaring a body above REQUEST_BODY_MAX_BYTES, unread.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves out file parts, so without this a huge upload
    would be streamed to a temporary file before the form could refuse it. The proxy has the
    same cap; this one holds where gunicorn is reached without it (and in tests).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body at all then
        limit = settings.REQUEST_BODY_MAX_BYTES
        if declared > limit:
            context = {"limit_mb": limit // 2**20}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
