"""The center's workplace for partner departments' API clients, their requests and exports."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ReadOnlyAdminMixin, run_action

from .forms import ApiClientForm
from .models import ApiClient, ApiRequestLog, ExportJob
from .services import api_client_create, api_client_revoke, api_client_rotate, api_client_update


def _token_page(modeladmin, request, client: ApiClient, token: str) -> TemplateResponse:
    # The token is in this one response only: never in a cookie, a message store or a log.
    response = TemplateResponse(
        request,
        "admin/exchange/token.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.opts,
            "client": client,
            "token": token,
            "title": _("Token of %(department)s") % {"department": client.department},
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    target_name = "client"
    list_display = [
        "department",
        "scope_list",
        "token_prefix",
        "expires_at",
        "revoked_at",
        "rate_limit_per_minute",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["department", "contact", "token_prefix"]
    readonly_fields = ["code", "token_prefix", "rotated_at", "revoked_at", "created_by"]
    actions = ["rotate_token", "revoke"]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: ApiClient) -> str:
        return ", ".join(obj.scopes)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the request log keeps pointing at the client: revoke instead

    def save_model(self, request, obj, form, change) -> None:
        values = {name: form.cleaned_data[name] for name in ApiClientForm.Meta.fields}
        if change:
            api_client_update(actor=request.user, client=obj, **values)
            obj.refresh_from_db()
            return
        client, token = api_client_create(actor=request.user, **values)
        obj.pk, obj.code, obj.token_prefix = client.pk, client.code, client.token_prefix
        obj._state.adding = False
        request._exchange_new_token = token

    def response_add(self, request, obj, post_url_continue=None):
        token = getattr(request, "_exchange_new_token", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        return _token_page(self, request, obj, token)

    @admin.action(description=_("Rotate the token (the old one stops working)"))
    def rotate_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Rotate one client at a time."), messages.ERROR)
            return None
        client = queryset.get()
        try:
            token = api_client_rotate(actor=request.user, client=client)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        except PermissionDenied:
            self.message_user(request, _("Only center staff may do this."), messages.ERROR)
            return None
        client.refresh_from_db()
        return _token_page(self, request, client, token)

    @admin.action(description=_("Revoke the token"))
    def revoke(self, request, queryset):
        run_action(self, request, queryset, api_client_revoke, _("%(count)s client(s) revoked."))


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "client", "method", "endpoint", "status_code", "rows"]
    list_filter = ["status_code", "method", "client"]
    search_fields = ["endpoint", "client__department"]
    list_select_related = ["client"]
    date_hierarchy = "created_at"


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "dataset", "format", "client", "requested_by", "status", "rows"]
    list_filter = ["status", "dataset", "format"]
    list_select_related = ["client", "requested_by"]
    exclude = ["file", "schema_file"]
