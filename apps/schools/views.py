from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from apps.accounts.permissions import bureau_viewer_required, school_staff_required
from apps.core.exports import csv_response
from apps.core.forms import add_service_errors
from apps.core.pagination import page_of, query_without_page

from . import selectors, services
from .caching import bureau_list_context
from .forms import InvitationAcceptForm, InvitationForm, PartnerSchoolForm, SchoolRegistrationForm
from .models import PartnerSchool, SchoolMembership


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboards:home")
    form = SchoolRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Per client address, limit in settings.ACCOUNT_RATE_LIMITS (allauth's cache counters).
        if not ratelimit.consume(request, action="school_register"):
            form.add_error(
                None,
                gettext(
                    "Too many school registrations were sent from your network. "
                    "Please try again later."
                ),
            )
            return render(request, "schools/register.html", {"form": form}, status=429)
        data = dict(form.cleaned_data)
        data.pop("liaison_password2")
        language = "zh-hans" if (request.LANGUAGE_CODE or "").startswith("zh") else "en"
        try:
            services.school_register(**data, language=language)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # An address that already had an account gets the same page (its owner an email);
            # a new one gets the confirmation link. Nothing is created before it is confirmed.
            request.session["registered_school"] = data["name_en"] or data["name_zh_hans"]
            return redirect("schools:registered")
    return render(request, "schools/register.html", {"form": form})


def registered(request: HttpRequest) -> HttpResponse:
    context = {
        "school": request.session.get("registered_school"),
        "valid_days": settings.SCHOOL_REGISTRATION_VALID_DAYS,
    }
    return render(request, "schools/registered.html", context)


def _registration_invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    context = {"error": error.messages[0], "used": getattr(error, "code", None) == "used"}
    return render(request, "schools/registration_invalid.html", context, status=410)


def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows the registration: mail scanners prefetch links, so only the button acts.
    try:
        pending = services.pending_registration_from_token(token)
    except ValidationError as exc:
        return _registration_invalid(request, exc)
    context = {"pending": pending}
    if request.method == "POST":
        try:
            school = services.school_registration_confirm(token=token)
        except ValidationError as exc:
            if getattr(exc, "code", None) in {"invalid", "used", "expired"}:
                return _registration_invalid(request, exc)
            # 200, not 4xx: Django logs 4xx request paths, and this link is still unused.
            context["error"] = exc.messages[0]
            return render(request, "schools/registration_confirm.html", context)
        request.session["confirmed_school"] = school.name
        return redirect("schools:registration_confirmed")
    return render(request, "schools/registration_confirm.html", context)


def registration_confirmed(request: HttpRequest) -> HttpResponse:
    school = request.session.get("confirmed_school")
    if school is None:
        return redirect("schools:register")
    return render(request, "schools/registration_confirmed.html", {"school": school})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as exc:
        return render(request, "schools/invitation_invalid.html", {"error": exc.messages[0]})
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.school_invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request,
                gettext("Welcome! You have joined %(school)s.") % {"school": invitation.school},
            )
            return redirect("dashboards:school")
    return render(
        request, "schools/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _own_school(request: HttpRequest):
    school = selectors.school_for_user(request.user)
    if school is None:
        raise PermissionDenied
    return school


@school_staff_required
def staff_invite(request: HttpRequest) -> HttpResponse:
    school = _own_school(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.school_invitation_create(
                actor=request.user, school=school, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("dashboards:school")
    return render(request, "schools/staff_invite.html", {"form": form, "school": school})


@require_POST
@school_staff_required
def staff_deactivate(request: HttpRequest, code) -> HttpResponse:
    school = _own_school(request)
    membership = get_object_or_404(
        SchoolMembership.objects.select_related("user"), code=code, school=school
    )
    try:
        services.school_staff_deactivate(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, gettext("%(name)s can no longer sign in.") % {"name": membership.user}
        )
    return redirect("dashboards:school")


@require_POST
@school_staff_required
def staff_make_liaison(request: HttpRequest, code) -> HttpResponse:
    school = _own_school(request)
    membership = get_object_or_404(
        SchoolMembership.objects.select_related("user"), code=code, school=school
    )
    try:
        services.school_liaison_transfer(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            gettext("%(name)s is now the school's foreign-affairs liaison.")
            % {"name": membership.user},
        )
    return redirect("dashboards:school")


@school_staff_required
def partner_edit(request: HttpRequest, code=None) -> HttpResponse:
    school = _own_school(request)
    partner = None
    if code is not None:
        try:
            partner = selectors.partner_school_for_user(user=request.user, code=code)
        except PartnerSchool.DoesNotExist as exc:
            raise Http404 from exc
    form = PartnerSchoolForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_school_save(
                actor=request.user, school=school, partner=partner, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("The partner school was saved."))
            return redirect("dashboards:school")
    return render(
        request, "schools/partner_form.html", {"form": form, "partner": partner, "school": school}
    )


@require_POST
@school_staff_required
def partner_delete(request: HttpRequest, code) -> HttpResponse:
    try:
        partner = selectors.partner_school_for_user(user=request.user, code=code)
    except PartnerSchool.DoesNotExist as exc:
        raise Http404 from exc
    services.partner_school_delete(actor=request.user, partner=partner)
    messages.success(request, gettext("The partner school was removed."))
    return redirect("dashboards:school")


@bureau_viewer_required
def bureau_schools(request: HttpRequest) -> HttpResponse:
    context = bureau_list_context(
        request,
        parts=("schools",),
        filterset=lambda: selectors.bureau_school_filter(user=request.user, data=request.GET),
    )
    context["jurisdiction"] = selectors.bureau_membership_for_user(request.user)
    return render(request, "schools/bureau_schools.html", context)


@bureau_viewer_required
def bureau_groups(request: HttpRequest) -> HttpResponse:
    filterset = selectors.bureau_group_filter(user=request.user, data=request.GET)
    context = {
        "filter": filterset,
        "page": page_of(request, filterset.qs),
        "query": query_without_page(request),
        "jurisdiction": selectors.bureau_membership_for_user(request.user),
    }
    return render(request, "schools/bureau_groups.html", context)


@bureau_viewer_required
def bureau_schools_csv(request: HttpRequest) -> StreamingHttpResponse:
    schools = selectors.bureau_school_filter(user=request.user, data=request.GET).qs

    def rows():
        yield [
            gettext("Name (Chinese)"),
            gettext("Name (English)"),
            gettext("District"),
            gettext("School type"),
            gettext("Public or private"),
            gettext("Licence / registration number"),
            gettext("Address"),
            gettext("Verification status"),
        ]
        for school in schools.iterator(chunk_size=2000):
            yield [
                school.name_zh_hans,
                school.name_en,
                school.district,
                school.school_type,
                school.get_ownership_display(),
                school.licence_number,
                school.address,
                school.get_verification_status_display(),
            ]

    return csv_response("schools", rows())


@bureau_viewer_required
def bureau_groups_csv(request: HttpRequest) -> StreamingHttpResponse:
    groups = selectors.bureau_group_filter(user=request.user, data=request.GET).qs

    def rows():
        yield [
            gettext("Group"),
            gettext("Kind"),
            gettext("District"),
            gettext("School"),
            gettext("Role in the group"),
            gettext("School district"),
        ]
        for group in groups:
            lead_role = (
                gettext("Trustee school") if group.kind == "entrusted" else gettext("Lead school")
            )
            lead = group.lead_school
            yield [
                group.name,
                group.get_kind_display(),
                group.district or "",
                lead,
                lead_role,
                lead.district,
            ]
            for member in group.members.all():
                yield [
                    group.name,
                    group.get_kind_display(),
                    group.district or "",
                    member.school,
                    member.get_role_display(),
                    member.school.district,
                ]

    return csv_response("school-groups", rows())
