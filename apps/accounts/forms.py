from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import PREFERENCE_FIELDS


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = list(PREFERENCE_FIELDS)
        labels = {"full_name": _("Your name")}


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=User._meta.get_field("language").choices)
    next = forms.CharField(required=False)
