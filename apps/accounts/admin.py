from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.models import District

from .models import BureauMembership, Role, User
from .services import PREFERENCE_FIELDS


class UserCreationForm(forms.ModelForm):
    """Center staff create bureau and center accounts; the person sets a password by reset."""

    district = forms.ModelChoiceField(
        label=_("Bureau district"),
        queryset=District.objects.all(),
        required=False,
        help_text=_(
            "For an education bureau account: its district or county. "
            "Leave empty for the municipal education bureau."
        ),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "language"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("district") and cleaned.get("role") != Role.BUREAU_VIEWER:
            self.add_error("district", _("Only education bureau accounts have a district."))
        return cleaned


class BureauMembershipInline(admin.StackedInline):
    model = BureauMembership
    can_delete = False
    extra = 0
    max_num = 1
    fields = ["district"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "language", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "language"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    add_form = UserCreationForm
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Personal info"),
            {"fields": list(PREFERENCE_FIELDS)},
        ),
        (
            _("Role and access"),
            {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "full_name", "role", "language", "district"]},
        )
    ]
    filter_horizontal = ["groups"]

    def get_inlines(self, request, obj):
        # Bureau accounts show their jurisdiction; the add page takes it on the form instead.
        return [BureauMembershipInline] if obj and obj.role == Role.BUREAU_VIEWER else []

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        from .services import staff_account_create

        created = staff_account_create(
            actor=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
            district=form.cleaned_data.get("district"),
        )
        obj.pk = created.pk
        obj.refresh_from_db()
        messages.info(
            request,
            _(
                "The account was created without a password: "
                "ask the person to use “Forgot password”."
            ),
        )
