from pathlib import PurePosixPath

from django.contrib import admin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.admin import (
    AddDisabledMixin,
    ObjectAction,
    ObjectActionsMixin,
    ReadOnlyInline,
    run_action,
)
from apps.core.exports import attachment_response, csv_response, stored_file_open
from apps.core.services import audit_record

from . import services
from .exports import employment_csv_rows
from .models import (
    AgreementStatus,
    Employment,
    EmploymentChange,
    EmploymentSchool,
    ExchangeVisit,
    InternshipAgreement,
)


class EmploymentSchoolInline(ReadOnlyInline):
    model = EmploymentSchool
    fields = ["school", "weekly_hours", "is_lead"]
    readonly_fields = fields


class EmploymentChangeInline(ReadOnlyInline):
    model = EmploymentChange
    fields = [
        "effective_on",
        "kind",
        "expires_on",
        "new_contract_end",
        "recorded_at",
        "recorded_by",
    ]
    readonly_fields = fields


def _download_link(url_name: str, obj) -> str:
    if not obj.file:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.code]), _("Download"))


def _audited_download(request, obj, action: str):
    # Private media has no public URL: the center reads these files only here, audited.
    if not request.user.is_center_staff or not obj.file:
        raise Http404
    handle = stored_file_open(obj.file)  # a missing file is a 404 and no audit row
    audit_record(actor=request.user, action=action, target=obj)
    return attachment_response(handle, filename=f"{obj.code}{PurePosixPath(obj.file.name).suffix}")


@admin.register(Employment)
class EmploymentAdmin(AddDisabledMixin, admin.ModelAdmin):
    """Hires come from accepted offers in the portal; the center reads and exports them."""

    list_display = [
        "teacher",
        "school",
        "district",
        "status",
        "contract_start",
        "contract_end",
        "hiring_channel",
        "is_intern",
        "is_cluster_contract",
    ]
    list_filter = ["status", "school__district", "hiring_channel", "payment_method", "is_intern"]
    search_fields = ["teacher__legal_name", "school__name_en", "school__name_zh_hans"]
    list_select_related = ["teacher", "school", "school__district", "cluster"]
    readonly_fields = [field.name for field in Employment._meta.fields]
    inlines = [EmploymentSchoolInline, EmploymentChangeInline]
    actions = ["export_csv"]
    date_hierarchy = "contract_start"

    @admin.display(description=_("district"))
    def district(self, employment: Employment):
        return employment.school.district

    @admin.display(description=_("cluster"), boolean=True)
    def is_cluster_contract(self, employment: Employment) -> bool:
        return employment.is_cluster

    @admin.action(description=_("Export the selected employments as CSV"))
    def export_csv(self, request, queryset):
        return csv_response("employments", employment_csv_rows(queryset, with_permits=True))


@admin.register(EmploymentChange)
class EmploymentChangeAdmin(AddDisabledMixin, admin.ModelAdmin):
    list_display = ["employment", "kind", "effective_on", "expires_on", "recorded_at"]
    list_filter = ["kind", "employment__school__district"]
    search_fields = ["employment__teacher__legal_name"]
    list_select_related = ["employment__teacher", "employment__school"]
    exclude = ["permit_number", "file"]
    readonly_fields = [
        *(f.name for f in EmploymentChange._meta.fields if f.name not in {"permit_number", "file"}),
        "file_download",
    ]

    @admin.display(description=_("file"))
    def file_download(self, change: EmploymentChange):
        return _download_link("admin:employment_employmentchange_file", change)

    def get_urls(self):
        return [
            path(
                "<uuid:code>/file/",
                self.admin_site.admin_view(self.file_view),
                name="employment_employmentchange_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, code):
        change = get_object_or_404(EmploymentChange, code=code)
        return _audited_download(request, change, "employment.change.file")


def _awaits_decision(agreement: InternshipAgreement) -> bool:
    return agreement.status == AgreementStatus.SUBMITTED


def _typed_note(request) -> dict:
    return {"note": request.POST.get("decision_note", "")}


@admin.register(InternshipAgreement)
class InternshipAgreementAdmin(AddDisabledMixin, ObjectActionsMixin, admin.ModelAdmin):
    """The center decides agreements with the buttons (or the bulk action), never by saving."""

    target_name = "agreement"
    list_display = ["teacher", "school", "university", "starts_on", "ends_on", "status"]
    list_filter = ["status", "school__district"]
    search_fields = ["teacher__legal_name", "university", "school__name_en"]
    list_select_related = ["teacher", "school"]
    fields = [
        "code",
        "teacher",
        "school",
        "university",
        "starts_on",
        "ends_on",
        "file_download",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "object_action_buttons",
        "created_by",
        "created_at",
    ]
    actions = ["approve"]
    object_actions = (
        ObjectAction(
            name="approve",
            label=_("Approve"),
            service=services.internship_agreement_decide,
            done_message=_("%(count)s agreements approved."),
            shown=_awaits_decision,
            arguments=lambda request: {"approve": True, **_typed_note(request)},
        ),
        ObjectAction(
            name="reject",
            label=_("Reject with the note above"),
            service=services.internship_agreement_decide,
            done_message=_("%(count)s agreements rejected."),
            shown=_awaits_decision,
            arguments=lambda request: {"approve": False, **_typed_note(request)},
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # The note is typed only as the reason that goes with a decision still to be made.
        readonly = [name for name in self.fields if name != "decision_note"]
        if obj is not None and not _awaits_decision(obj):
            readonly.append("decision_note")
        return readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        # Only the decision buttons write an agreement (through the service).
        return None

    def save_related(self, request, form, formsets, change) -> None:
        return None

    @admin.display(description=_("signed agreement"))
    def file_download(self, agreement: InternshipAgreement):
        return _download_link("admin:employment_internshipagreement_file", agreement)

    def get_urls(self):
        return [
            path(
                "<uuid:code>/file/",
                self.admin_site.admin_view(self.file_view),
                name="employment_internshipagreement_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, code):
        agreement = get_object_or_404(InternshipAgreement, code=code)
        return _audited_download(request, agreement, "internship_agreement.file")

    @admin.action(description=_("Approve the selected agreements"))
    def approve(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.internship_agreement_decide,
            _("%(count)s agreements approved."),
            approve=True,
        )


@admin.register(ExchangeVisit)
class ExchangeVisitAdmin(AddDisabledMixin, admin.ModelAdmin):
    list_display = [
        "visitor_name",
        "nationality",
        "passport_masked",
        "school",
        "partner_school",
        "arrival",
        "departure",
    ]
    list_filter = ["school__district", "nationality"]
    search_fields = ["visitor_name", "school__name_en", "partner_school__name"]
    list_select_related = ["school", "partner_school"]
    exclude = ["passport_number"]
    readonly_fields = [
        "code",
        "school",
        "partner_school",
        "visitor_name",
        "nationality",
        "passport_masked",
        "arrival",
        "departure",
        "purpose",
        "created_by",
        "created_at",
    ]
    actions = ["export_csv"]

    @admin.display(description=_("passport number"))
    def passport_masked(self, visit: ExchangeVisit) -> str:
        return visit.passport_masked

    @admin.action(description=_("Export the selected visits as CSV"))
    def export_csv(self, request, queryset):
        def rows():
            yield [
                _("Visitor"),
                _("Nationality"),
                _("School"),
                pgettext_lazy("arrival date", "Arrival"),
                pgettext_lazy("departure date", "Departure"),
            ]
            for visit in queryset.select_related("school"):
                yield [
                    visit.visitor_name,
                    visit.nationality.name,
                    visit.school,
                    visit.arrival.isoformat(),
                    visit.departure.isoformat(),
                ]

        return csv_response("exchange-visits", rows())
