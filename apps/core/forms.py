from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form so the page re-renders with the input kept.

    Errors about model fields the form does not show (e.g. a translated field's base name)
    become form-wide errors instead of raising.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def add_service_messages(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's ValidationError as error messages (for actions without a form page)."""
    for message in error.messages:
        messages.error(request, message)
