from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput
from apps.teachers.models import Category

from .models import EntryStatus, Stage


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.TypedChoiceField(
        label=_("Teacher category"),
        choices=[("", _("Any category")), *Category.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage")), *Stage.choices], required=False
    )


class StepMarkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=EntryStatus.choices, widget=forms.RadioSelect
    )
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Why it does not apply"),
        required=False,
        max_length=500,
        widget=forms.TextInput(),
    )
    file = forms.FileField(label=_("Receipt or document (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"status": EntryStatus.DONE, "done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SituationForm(forms.Form):
    already_in_china = forms.BooleanField(
        label=_("The teacher was already in China when hired (change of employer)"),
        required=False,
    )
