"""The center's credit workplace: records, objections, repairs, stars; actions call services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AddDisabledMixin, ReadOnlyAdminMixin, ReadOnlyInline
from apps.core.forms import add_service_errors

from . import services
from .explanations import star_explanation_render
from .forms import MultipleFileField
from .models import (
    CreditFile,
    CreditRecord,
    EvaluationResult,
    Objection,
    ObjectionDecision,
    RepairRequest,
    RepairStatus,
    StarLevelHistory,
    StarRule,
    TeacherStarLevel,
)


class ReasonActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


def _run(modeladmin, request, queryset, service, done_message, **kwargs) -> int:
    """Run a service on each selected row; show each refusal with its own message."""
    done = 0
    for obj in queryset:
        try:
            service(actor=request.user, **{modeladmin.target_name: obj}, **kwargs)
        except (ValidationError, PermissionDenied) as exc:
            text = (
                " ".join(exc.messages)
                if isinstance(exc, ValidationError)
                else (str(exc) or _("Only center staff may do this."))
            )
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    return done


def _reason(request) -> str:
    return request.POST.get("reason", "")


class CreditRecordAddForm(forms.ModelForm):
    evidence = MultipleFileField(label=_("Evidence (PDF, JPEG or PNG)"), required=False)

    class Meta:
        model = CreditRecord
        fields = [
            "teacher",
            "school",
            "kind",
            "severity",
            "grounds",
            "grounds_other",
            "facts",
            "basis",
            "determining_unit",
            "determining_unit_code",
            "decision_date",
            "starts_on",
            "display_until",
            "remarks",
        ]
        help_texts = {
            "display_until": _("Empty: the longest period the severity allows."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_until"].required = False

    def _post_clean(self):
        # The service's rules (bounds, grounds, health data, files) decide, shown on the form.
        super()._post_clean()
        data = self.cleaned_data
        if self.errors or "kind" not in data:
            return
        try:
            services.credit_record_check(
                teacher=data.get("teacher"),
                school=data.get("school"),
                kind=data["kind"],
                severity=data.get("severity") or "",
                grounds=data.get("grounds") or "",
                grounds_other=data.get("grounds_other") or "",
                facts=data.get("facts") or "",
                basis=data.get("basis") or "",
                remarks=data.get("remarks") or "",
                determining_unit=data.get("determining_unit") or "",
                starts_on=data["starts_on"],
                display_until=data.get("display_until"),
                evidence=data.get("evidence") or [],
            )
        except ValidationError as exc:
            add_service_errors(self, exc)


class FileInline(ReadOnlyInline):
    model = CreditFile
    fields = ["purpose", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("credit:file", args=[obj.code]), obj.original_name
        )


class DistrictFilter(admin.SimpleListFilter):
    title = _("district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        from apps.core.models import District

        return [(d.code, d.name) for d in District.objects.all()]

    def queryset(self, request, queryset):
        # A school's district is fixed; teachers move between districts, so a district
        # lists its schools' records only.
        if self.value():
            return queryset.filter(school__district__code=self.value())
        return queryset


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    target_name = "record"
    action_form = ReasonActionForm
    list_display = [
        "__str__",
        "kind",
        "severity",
        "grounds",
        "status",
        "starts_on",
        "display_until",
        "objection_deadline",
        "proposed_by",
        "approved_by",
    ]
    list_filter = ["status", "kind", "severity", "grounds", DistrictFilter, "data_source"]
    search_fields = [
        "teacher__legal_name",
        "school__name_zh_hans",
        "school__name_en",
        "school__licence_number",
        "determining_unit",
        "=code",
    ]
    list_select_related = ["teacher", "school", "proposed_by", "approved_by"]
    autocomplete_fields = ["teacher", "school"]
    date_hierarchy = "starts_on"
    inlines = [FileInline]
    actions = ["approve", "withdraw", "revoke"]

    def get_inline_instances(self, request, obj=None):
        # A new record's files come with the proposal (the evidence field), not an inline.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CreditRecordAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Records change only through their life cycle (actions), never by editing fields.
        return [f.name for f in CreditRecord._meta.fields if f.name != "id"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*CreditRecordAddForm.Meta.fields, "evidence"]
        return [f.name for f in CreditRecord._meta.fields if f.name != "id"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Records are ended and deleted by the daily task 5 years later, never by hand.
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        data = form.cleaned_data
        try:
            saved = services.credit_record_propose(
                actor=request.user,
                teacher=data.get("teacher"),
                school=data.get("school"),
                kind=data["kind"],
                severity=data.get("severity") or "",
                grounds=data.get("grounds") or "",
                grounds_other=data.get("grounds_other") or "",
                facts=data.get("facts") or "",
                basis=data.get("basis") or "",
                determining_unit=data.get("determining_unit") or "",
                determining_unit_code=data.get("determining_unit_code") or "",
                decision_date=data["decision_date"],
                starts_on=data["starts_on"],
                display_until=data.get("display_until"),
                remarks=data.get("remarks") or "",
                evidence=data.get("evidence") or [],
            )
        except ValidationError as exc:
            # The form already ran credit_record_check: a refusal here is a programming error.
            raise ValueError(exc.messages) from exc
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        if change:  # a new record's files were stored by the service
            super().save_related(request, form, formsets, change)

    @admin.action(description=_("Approve (a second member of the center)"))
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.credit_record_approve,
            _("%(count)s record(s) approved."),
        )

    @admin.action(description=_("Withdraw a proposal or notified record (give the reason)"))
    def withdraw(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.credit_record_withdraw,
            _("%(count)s record(s) withdrawn."),
            reason=_reason(request),
        )

    @admin.action(description=_("Revoke an active record (give the reason)"))
    def revoke(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.credit_record_revoke,
            _("%(count)s record(s) revoked."),
            reason=_reason(request),
        )


class CenterDecisionAdminMixin(AddDisabledMixin):
    """Objections and repairs: decided by actions only, never added or deleted in admin."""

    def has_change_permission(self, request, obj=None) -> bool:
        # The role alone is not enough: the model permission (Center staff group) is too.
        return request.user.is_center_staff and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Objection)
class ObjectionAdmin(CenterDecisionAdminMixin, admin.ModelAdmin):
    target_name = "objection"
    action_form = ReasonActionForm
    list_display = ["record", "submitted_at", "answer_due", "decision", "decided_by"]
    list_filter = ["decision", "record__severity", ("answer_due", admin.DateFieldListFilter)]
    search_fields = ["record__teacher__legal_name", "record__school__name_en", "statement"]
    list_select_related = ["record__teacher", "record__school", "decided_by"]
    readonly_fields = [
        "record_link",
        "statement",
        "files_list",
        "submitted_by",
        "submitted_at",
        "answer_due",
        "decision",
        "decision_reason",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields
    actions = ["record_stands", "record_withdrawn"]

    @admin.display(description=_("credit record"))
    def record_link(self, obj):
        url = reverse("admin:credit_creditrecord_change", args=[obj.record_id])
        return format_html('<a href="{}">{}</a>', url, obj.record)

    @admin.display(description=_("files"))
    def files_list(self, obj):
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("credit:file", args=[f.code]), f.original_name) for f in obj.files.all()),
            )
            or "–"
        )

    @admin.action(description=_("Decide: the record stands (give the reason)"))
    def record_stands(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.objection_decide,
            _("%(count)s decided."),
            decision=ObjectionDecision.RECORD_STANDS,
            reason=_reason(request),
        )

    @admin.action(description=_("Decide: withdraw the record (give the reason)"))
    def record_withdrawn(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.objection_decide,
            _("%(count)s decided."),
            decision=ObjectionDecision.RECORD_WITHDRAWN,
            reason=_reason(request),
        )


@admin.register(RepairRequest)
class RepairRequestAdmin(CenterDecisionAdminMixin, admin.ModelAdmin):
    target_name = "repair"
    action_form = ReasonActionForm
    list_display = ["record", "status", "submitted_at", "decided_by", "decided_at"]
    list_filter = ["status", "record__severity"]
    search_fields = ["record__teacher__legal_name", "record__school__name_en"]
    list_select_related = ["record__teacher", "record__school", "decided_by"]
    readonly_fields = [
        "record",
        "commitment",
        "status",
        "submitted_by",
        "submitted_at",
        "decision_reason",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields
    actions = ["grant", "refuse"]

    @admin.action(description=_("Grant the repair (give the reason)"))
    def grant(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=RepairStatus.PENDING),
            services.repair_request_decide,
            _("%(count)s decided."),
            grant=True,
            reason=_reason(request),
        )

    @admin.action(description=_("Refuse the repair (give the reason)"))
    def refuse(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=RepairStatus.PENDING),
            services.repair_request_decide,
            _("%(count)s decided."),
            grant=False,
            reason=_reason(request),
        )


@admin.register(StarRule)
class StarRuleAdmin(admin.ModelAdmin):
    list_display = ["level", "min_mean", "min_lowest_dimension", "max_incidents", "min_quarters"]
    readonly_fields = ["updated_at"]

    def save_model(self, request, obj, form, change) -> None:
        services.star_rule_save(actor=request.user, rule=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StarHistoryInline(ReadOnlyInline):
    model = StarLevelHistory
    fk_name = "teacher"
    fields = ["created_at", "previous_level", "level", "reason", "actor"]
    readonly_fields = fields


@admin.register(TeacherStarLevel)
class TeacherStarLevelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["teacher", "level", "explanation_text", "updated_at"]
    list_filter = ["level"]
    search_fields = ["teacher__legal_name"]
    list_select_related = ["teacher"]
    fields = ["teacher", "level", "explanation_text", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("explanation"))
    def explanation_text(self, obj):
        return star_explanation_render(obj.explanation)


@admin.register(StarLevelHistory)
class StarLevelHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "teacher", "previous_level", "level", "reason", "actor"]
    list_filter = ["reason", "level"]
    search_fields = ["teacher__legal_name"]
    list_select_related = ["teacher", "actor"]
    date_hierarchy = "created_at"


@admin.register(EvaluationResult)
class EvaluationResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "teacher",
        "quarter_start",
        "law_compliance",
        "teaching_duties",
        "daily_conduct",
        "serious_incident",
    ]
    list_filter = ["quarter_start", "serious_incident"]
    search_fields = ["teacher__legal_name"]
    list_select_related = ["teacher"]
