from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_status"]
    list_filter = ["kind", "email_status", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__email", "title", "kind"]
    list_select_related = ["recipient"]
    autocomplete_fields = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "code",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "email_error",
        "emailed_at",
        "language",
    ]
