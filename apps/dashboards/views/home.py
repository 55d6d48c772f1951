from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from apps.accounts.models import Role

ROLE_DASHBOARDS = {
    Role.TEACHER: "dashboards:teacher",
    Role.SCHOOL_STAFF: "dashboards:school",
    Role.CENTER_STAFF: "dashboards:center",
    Role.BUREAU_VIEWER: "dashboards:bureau",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(ROLE_DASHBOARDS[request.user.role])
