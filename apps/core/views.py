from django.http import HttpRequest, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from .exports import FileMissing
from .health import ERROR, broker_status, database_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database, broker = database_status(), broker_status()
    healthy = database != ERROR and broker != ERROR
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Send a browser's /favicon.ico request to the static icon (hashed name in production)."""
    # Temporary, cached for a day: a permanent redirect would pin browsers to one hashed name.
    response = HttpResponseRedirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def home(request: HttpRequest):
    return render(request, "core/home.html")


def permission_denied(request: HttpRequest, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None):
    # Only a reason written for the reader is shown; other 404 messages stay internal.
    reason = str(exception) if isinstance(exception, FileMissing) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


def server_error(request: HttpRequest):
    # Rendered without context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
