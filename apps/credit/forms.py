from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (each is content-checked by the service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ObjectionForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Explain why the record is wrong. Do not include health information."),
    )
    files = MultipleFileField(label=_("Supporting documents (PDF, JPEG or PNG)"), required=False)


class RepairForm(forms.Form):
    commitment = forms.CharField(
        label=_("Your credit commitment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    letter = forms.FileField(label=_("Signed commitment letter (PDF, JPEG or PNG)"))
