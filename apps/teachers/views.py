from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import center_staff_required, teacher_required
from apps.core.exports import stored_file_open
from apps.core.forms import add_service_errors, add_service_messages
from apps.core.selectors import policy_settings_get
from apps.core.services import model_snapshot

from . import selectors, services
from .forms import (
    M2M_FIELDS,
    STEP_FORMS,
    CertificateFormSet,
    DocumentUploadForm,
    EducationForm,
    ExperienceFormSet,
)
from .models import DocumentKind
from .steps import PROFILE_STEPS, STEP_SLUGS


def _add_row_errors(row_forms, exc: ValidationError, context) -> None:
    """Show the service's per-row errors on the row's field; anything else above the rows."""
    unplaced = []
    for error in exc.error_list if not hasattr(exc, "error_dict") else [exc]:
        params = getattr(error, "params", None) or {}
        if "row" in params and params["row"] < len(row_forms):
            row_forms[params["row"]].add_error(params.get("field"), error.messages)
        else:
            unplaced.extend(error.messages)
    if unplaced:
        context["formset_errors"] = unplaced


def _next_url(slug: str) -> str:
    from django.urls import reverse

    index = STEP_SLUGS.index(slug)
    if index + 1 < len(STEP_SLUGS):
        return reverse("teachers:profile_step", args=[STEP_SLUGS[index + 1]])
    return reverse("teachers:documents")


@teacher_required
def profile(request: HttpRequest) -> HttpResponse:
    """Open the first step not done yet (or the documents page when all are)."""
    teacher = services.teacher_profile_ensure(user=request.user)
    for slug in STEP_SLUGS:
        if slug not in teacher.completed_steps:
            return redirect("teachers:profile_step", slug)
    return redirect("teachers:documents")


def _save_formset_step(request, teacher, slug, context) -> HttpResponse | None:
    if slug == "education":
        form = EducationForm(request.POST or None, instance=teacher)
        formset = CertificateFormSet(
            request.POST or None,
            prefix="certificates",
            initial=list(teacher.certificates.values("kind", "hours", "issuing_country", "year")),
        )
        context.update(form=form, formset=formset)
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            rows = [
                {k: v for k, v in row.items() if k != "DELETE"}
                for row in formset.cleaned_data
                if row and not row.get("DELETE")
            ]
            try:
                services.teacher_education_save(
                    actor=request.user,
                    teacher=teacher,
                    values={n: form.cleaned_data[n] for n in form.Meta.fields},
                    certificates=rows,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return None
            return redirect(_next_url(slug))
        return None
    # experience
    formset = ExperienceFormSet(
        request.POST or None,
        prefix="experience",
        initial=[
            {
                **model_snapshot(e, ["school", "started_on", "ended_on", "subjects"]),
                "country": e.country.code,
                "levels": list(e.levels.all()),
            }
            for e in teacher.experiences.prefetch_related("levels")
        ],
    )
    context.update(formset=formset)
    if request.method == "POST" and formset.is_valid():
        row_forms = [
            f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        rows = [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in row_forms]
        try:
            services.teacher_experiences_set(actor=request.user, teacher=teacher, entries=rows)
        except ValidationError as exc:
            _add_row_errors(row_forms, exc, context)
            return None
        return redirect(_next_url(slug))
    return None


@teacher_required
def profile_step(request: HttpRequest, slug: str) -> HttpResponse:
    """Show and save one step of the profile form; each step is saved on its own."""
    if slug not in STEP_SLUGS:
        raise Http404
    teacher = services.teacher_profile_ensure(user=request.user)
    index = STEP_SLUGS.index(slug)
    context = {
        "teacher": teacher,
        "steps": PROFILE_STEPS,
        "step": PROFILE_STEPS[index],
        "step_number": index + 1,
        "previous": STEP_SLUGS[index - 1] if index else "",
        "completeness": selectors.teacher_completeness(
            teacher=teacher, document_kinds=selectors.live_document_kinds(teacher=teacher)
        ),
    }
    if slug in {"education", "experience"}:
        response = _save_formset_step(request, teacher, slug, context)
        if response is not None:
            messages.success(request, _("Saved."))
            return response
        return render(request, "teachers/profile_step.html", context)
    form = STEP_FORMS[slug](request.POST or None, instance=teacher)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        values = {n: v for n, v in form.cleaned_data.items() if n not in M2M_FIELDS}
        m2m = {n: v for n, v in form.cleaned_data.items() if n in M2M_FIELDS}
        try:
            services.teacher_update(
                actor=request.user, teacher=teacher, values=values, m2m=m2m, step=slug
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_next_url(slug))
    return render(request, "teachers/profile_step.html", context)


@teacher_required
def documents(request: HttpRequest) -> HttpResponse:
    """List the teacher's documents and upload a new one."""
    teacher = services.teacher_profile_ensure(user=request.user)
    kind = request.GET.get("kind", "")
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": kind if kind in DocumentKind.values else DocumentKind.PASSPORT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(actor=request.user, teacher=teacher, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("teachers:documents")
    kinds = selectors.live_document_kinds(teacher=teacher)
    context = {
        "teacher": teacher,
        "form": form,
        "documents": selectors.teacher_documents(teacher=teacher),
        "completeness": selectors.teacher_completeness(teacher=teacher, document_kinds=kinds),
        "steps": PROFILE_STEPS,
    }
    return render(request, "teachers/documents.html", context, status=400 if form.errors else 200)


@teacher_required
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    teacher = services.teacher_profile_ensure(user=request.user)
    try:
        services.teacher_submit_for_review(actor=request.user, teacher=teacher)
    except ValidationError as exc:
        add_service_messages(request, exc)
    else:
        messages.success(request, _("Thank you: the service center will review your profile."))
    return redirect("dashboards:teacher")


def _file_response(document, handle, *, inline: bool) -> FileResponse:
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=f"{document.kind}-{document.code}{document.file.name[-4:]}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def document_download(request: HttpRequest, code) -> HttpResponse:
    """Send a document as an attachment to whoever may see it (404 otherwise); audited."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    document = selectors.document_get_for_download(user=request.user, code=code)
    handle = stored_file_open(document.file)  # a missing file is a 404 and no audit row
    services.document_download_record(actor=request.user, document=document)
    return _file_response(document, handle, inline=False)


@center_staff_required
def document_preview(request: HttpRequest, code) -> HttpResponse:
    """Show a document inline for center staff only (the one inline view); audited."""
    document = selectors.document_get_for_download(user=request.user, code=code)
    handle = stored_file_open(document.file)
    services.document_download_record(actor=request.user, document=document, inline=True)
    response = _file_response(document, handle, inline=True)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@teacher_required
def privacy(request: HttpRequest) -> HttpResponse:
    """Export-my-data and the account-deletion request."""
    teacher = services.teacher_profile_ensure(user=request.user)
    keep_years = policy_settings_get().employment_records_keep_years
    return render(request, "teachers/privacy.html", {"teacher": teacher, "keep_years": keep_years})


@teacher_required
@require_POST
def export_data(request: HttpRequest) -> HttpResponse:
    archive = services.personal_data_zip(user=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@teacher_required
@require_POST
def request_deletion(request: HttpRequest) -> HttpResponse:
    teacher = services.teacher_profile_ensure(user=request.user)
    services.teacher_deletion_request(actor=request.user, teacher=teacher)
    messages.success(
        request,
        _(
            "Your request was sent. The service center will confirm the deletion of your login; "
            "the records the law requires are erased when their keeping period ends."
        ),
    )
    return redirect("teachers:privacy")
