"""Center pages: recognition lists (with XLSX export) and the credit platform exchange."""

import io
import json
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.permissions import center_staff_required
from apps.core.exports import csv_response, csv_safe_cell
from apps.core.forms import DateInput, add_service_errors, add_service_messages
from apps.teachers.models import Teacher

from . import selectors, services
from .exchange import EXCHANGE_SCHEMA, FIELD_NAMES, export_rows, import_preview
from .models import Nomination, NominationKind, RecordKind

KINDS = {"permit": NominationKind.LONG_TERM_PERMIT, "friendship": NominationKind.FRIENDSHIP_AWARD}
EXPORT_KINDS = {"commendations": RecordKind.COMMENDATION, "restrictions": RecordKind.NEGATIVE}
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _xlsx_response(filename: str, header: list[str], rows: list[list]) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([str(cell) for cell in header])
    for row in rows:
        # A cell starting with = + - @ would run as a formula: stored as text with a quote.
        sheet.append([csv_safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


@center_staff_required
def recognition_list(request: HttpRequest, kind: str) -> HttpResponse:
    """List teachers meeting a recognition rule; nominate, submit to the bureau, export XLSX."""
    nomination_kind = KINDS.get(kind)
    if nomination_kind is None:
        raise Http404
    if request.method == "POST":
        try:
            if "nominate" in request.POST:
                teacher = get_object_or_404(Teacher, code=request.POST.get("teacher"))
                services.nomination_propose(
                    actor=request.user, teacher=teacher, kind=nomination_kind
                )
                messages.success(request, _("Nominated."))
            elif "submit" in request.POST:
                nomination = get_object_or_404(
                    Nomination, code=request.POST.get("nomination"), kind=nomination_kind
                )
                services.nomination_submit(actor=request.user, nomination=nomination)
                messages.success(request, _("Marked as submitted to the bureau."))
        except ValidationError as exc:
            add_service_messages(request, exc)
        return redirect("credit:recognition", kind=kind)
    today = timezone.localdate()
    candidates = selectors.recognition_candidates(kind=nomination_kind, on=today)
    if request.GET.get("format") == "xlsx":
        header = [
            _("Teacher"),
            _("Nationality"),
            _("Star level"),
            _("Quarters at this level"),
            _("Evaluated in Hangzhou since"),
            _("Commendation"),
            _("Nomination"),
        ]
        rows = [
            [
                c.name,
                c.nationality,
                c.star_level,
                c.quarters_at_level,
                c.evaluated_since.isoformat(),
                _("yes") if c.commended else _("no"),
                c.nomination.get_status_display() if c.nomination else "",
            ]
            for c in candidates
        ]
        return _xlsx_response(f"{kind}-candidates", header, rows)
    context = {
        "kind": kind,
        "title": nomination_kind.label,
        "candidates": candidates,
        "nominations": selectors.nominations_list(kind=nomination_kind),
    }
    return render(request, "credit/recognition.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Import file (CSV or JSON, UTF-8)"),
        help_text=gettext_lazy("Same columns as the export; see the schema file."),
    )


class ExportForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("Changed since"),
        widget=DateInput(),
    )


@center_staff_required
def exchange(request: HttpRequest) -> HttpResponse:
    """Export to and import from the credit platform: a dry-run preview, then apply."""
    preview = None
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                form.add_error("file", _("The file is larger than 5 MB."))
            else:
                content = upload.read()
                if "apply" in request.POST:
                    try:
                        count = services.credit_import_apply(
                            actor=request.user, name=upload.name, content=content
                        )
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                    else:
                        messages.success(
                            request,
                            _("%(count)s record(s) created as proposals for approval.")
                            % {"count": count},
                        )
                        return redirect("credit:exchange")
                preview = import_preview(name=upload.name, content=content)
    since = timezone.localdate() - timedelta(days=30)
    return render(
        request,
        "credit/exchange.html",
        {"form": form, "preview": preview, "export_form": ExportForm(initial={"since": since})},
    )


@center_staff_required
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """Download commendations or restrictions (active and changed since) as CSV or JSON."""
    record_kind = EXPORT_KINDS.get(kind)
    if record_kind is None or fmt not in {"csv", "json"}:
        raise Http404
    form = ExportForm(request.GET)
    since = form.cleaned_data["since"] if form.is_valid() else date(1970, 1, 1)
    rows = export_rows(kind=record_kind, since=since)
    from apps.core.services import audit_record

    audit_record(
        actor=request.user,
        action="credit.export",
        after={"kind": kind, "format": fmt, "since": since.isoformat(), "rows": len(rows)},
    )
    if fmt == "csv":
        return csv_response(
            f"credit-{kind}", [FIELD_NAMES, *([row[n] for n in FIELD_NAMES] for row in rows)]
        )
    response = HttpResponse(
        json.dumps(rows, ensure_ascii=False, indent=1), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="credit-{kind}-{stamp}.json"'
    return response


@center_staff_required
def schema(request: HttpRequest) -> HttpResponse:
    """Download the JSON schema of the exchange files."""
    response = HttpResponse(
        json.dumps(EXCHANGE_SCHEMA, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="credit-exchange-schema.json"'
    return response
