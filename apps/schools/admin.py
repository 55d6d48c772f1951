from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from apps.core.admin import AddDisabledMixin, ReadOnlyInline, run_action

from . import services
from .forms import RejectForm
from .models import (
    MemberRole,
    PartnerSchool,
    School,
    SchoolGroup,
    SchoolGroupMember,
    SchoolInvitation,
    SchoolMembership,
)


class SchoolMembershipInline(ReadOnlyInline):
    model = SchoolMembership
    fields = ["user", "is_liaison", "is_active", "joined_at", "deactivated_at"]
    readonly_fields = fields
    show_change_link = False


URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class PartnerSchoolInline(admin.TabularInline):
    model = PartnerSchool
    formfield_overrides = URL_FIELDS
    fields = ["name", "country", "city", "since", "website"]
    extra = 0


@admin.register(School)
class SchoolAdmin(TranslationAdmin):
    target_name = "school"
    formfield_overrides = URL_FIELDS
    list_display = [
        "name",
        "district",
        "school_type",
        "ownership",
        "licence_number",
        "verification_status",
        "created_at",
    ]
    list_filter = ["verification_status", "district", "school_type", "ownership"]
    search_fields = ["name_zh_hans", "name_en", "licence_number"]
    list_select_related = ["district", "school_type"]
    readonly_fields = [
        "code",
        "verification_status",
        "rejection_reason",
        "verified_at",
        "created_at",
    ]
    inlines = [SchoolMembershipInline, PartnerSchoolInline]
    actions = ["verify_schools", "reject_schools"]
    date_hierarchy = "created_at"

    @admin.action(description=_("Verify the selected schools"))
    def verify_schools(self, request, queryset):
        run_action(
            self, request, queryset, services.school_verify, _("%(count)d schools verified.")
        )

    @admin.action(description=_("Reject the selected schools (with a reason)"))
    def reject_schools(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            run_action(
                self,
                request,
                queryset,
                services.school_reject,
                _("%(count)d schools rejected."),
                reason=form.cleaned_data["reason"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject schools"),
            "opts": self.model._meta,
            "schools": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/schools/school/reject.html", context)

    def save_model(self, request, obj, form, change) -> None:
        services.school_save_by_center(
            actor=request.user, school=obj, changed=list(form.changed_data)
        )

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not PartnerSchool:
            return super().save_formset(request, form, formset, change)
        # Partner schools go through the same service the liaison uses (audited); the lists
        # below feed the admin's change message as formset.save() would.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                services.partner_school_delete(actor=request.user, partner=deleted.instance)
                formset.deleted_objects.append(deleted.instance)
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = {k: inline_form.cleaned_data[k] for k in PartnerSchoolInline.fields}
            partner = inline_form.instance if inline_form.instance.pk else None
            saved = services.partner_school_save(
                actor=request.user, school=form.instance, partner=partner, **data
            )
            if partner is None:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))
        return None


class SchoolGroupMemberFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        group = self.instance
        if any(self.errors) or not group.lead_school_id or not group.kind:
            return
        members = [
            (f.cleaned_data["school"], f.cleaned_data.get("role"))
            for f in self.forms
            if f.cleaned_data.get("school") and not f.cleaned_data.get("DELETE")
        ]
        # The same rules as the service: admin cannot build a group the service would refuse.
        services.school_group_validate(
            kind=group.kind, lead_school=group.lead_school, members=members
        )


class SchoolGroupMemberInline(admin.TabularInline):
    model = SchoolGroupMember
    formset = SchoolGroupMemberFormSet
    autocomplete_fields = ["school"]
    extra = 1


GROUP_FIELDS = ["kind", "name", "district", "lead_school"]


@admin.register(SchoolGroup)
class SchoolGroupAdmin(admin.ModelAdmin):
    fields = GROUP_FIELDS
    list_display = ["name", "kind", "lead_school", "district", "member_count"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "lead_school__name_zh_hans", "lead_school__name_en"]
    list_select_related = ["lead_school", "district"]
    autocomplete_fields = ["lead_school"]
    inlines = [SchoolGroupMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description=_("member schools"), ordering="_member_count")
    def member_count(self, obj) -> int:
        return obj._member_count

    def save_model(self, request, obj, form, change) -> None:
        # The group is written with its members in save_related, where the inline is known.
        return None

    def save_related(self, request, form, formsets, change) -> None:
        # Through the services: the same rules under the group's lock, and one audit event.
        members = []
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                data = getattr(inline_form, "cleaned_data", {})
                if data.get("school") and not data.get("DELETE"):
                    members.append((data["school"], data.get("role") or MemberRole.MEMBER))
        values = {name: form.cleaned_data.get(name) for name in GROUP_FIELDS}
        if change:
            group = services.school_group_update(
                actor=request.user, group=form.instance, members=members, **values
            )
        else:
            group = services.school_group_create(actor=request.user, members=members, **values)
        form.instance.pk = group.pk


@admin.register(PartnerSchool)
class PartnerSchoolAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "country", "city", "since", "school"]
    list_filter = ["country"]
    search_fields = ["name", "city", "school__name_zh_hans", "school__name_en"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]

    def save_model(self, request, obj, form, change) -> None:
        data = {k: form.cleaned_data[k] for k in ["name", "country", "city", "since", "website"]}
        saved = services.partner_school_save(
            actor=request.user,
            school=form.cleaned_data["school"],
            partner=obj if change else None,
            **data,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        services.partner_school_delete(actor=request.user, partner=obj)


@admin.register(SchoolInvitation)
class SchoolInvitationAdmin(AddDisabledMixin, admin.ModelAdmin):
    list_display = ["email", "school", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "school__name_zh_hans", "school__name_en"]
    list_select_related = ["school", "invited_by"]
    readonly_fields = [f.name for f in SchoolInvitation._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(AddDisabledMixin, admin.ModelAdmin):
    """Read-only: people join by registration or invitation; the liaison changes by action."""

    target_name = "membership"
    list_display = ["user", "school", "is_liaison", "is_active", "joined_at"]
    list_filter = ["is_liaison", "is_active"]
    search_fields = ["user__email", "user__full_name", "school__name_zh_hans", "school__name_en"]
    list_select_related = ["user", "school"]
    readonly_fields = ["user", "school", "is_liaison", "is_active", "joined_at", "deactivated_at"]
    actions = ["make_liaison"]

    @admin.action(description=_("Make the selected person their school's liaison"))
    def make_liaison(self, request, queryset):
        memberships = queryset.select_related("user", "school")
        for membership in run_action(self, request, memberships, services.school_liaison_transfer):
            self.message_user(
                request,
                gettext("%(name)s is now the liaison of %(school)s.")
                % {"name": membership.user, "school": membership.school},
                messages.SUCCESS,
            )
