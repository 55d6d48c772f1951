from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.permissions import center_staff_required
from apps.core.models import District
from apps.core.pagination import page_of

from . import selectors
from .explanations import component_lines
from .models import RunStatus


@center_staff_required
def run_detail(request: HttpRequest, code) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    districts = District.objects.all()
    district = districts.filter(code=request.GET.get("district") or "").first()
    pairs = selectors.match_assignment_list(user=request.user, run=run, district=district)
    page = page_of(request, pairs)
    rows = [(pair, component_lines(pair.components, run.weights)) for pair in page]
    context = {
        "run": run,
        "page": page,
        "rows": rows,
        "districts": districts,
        "district": district,
        "query": f"district={district.code}" if district else "",
        "in_progress": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
    }
    return render(request, "matching/run_detail.html", context)
