from django import forms
from django.utils.translation import gettext_lazy as _


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the teacher (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
