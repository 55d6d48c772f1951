from django.http import HttpRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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


def home(request: HttpRequest):
    return render(request, "core/home.html")


def permission_denied(request: HttpRequest, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None):
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest):
    # Rendered without context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
