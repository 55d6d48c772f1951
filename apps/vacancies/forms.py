from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput
from apps.core.models import Subject, TeachingLevel
from apps.schools.models import SchoolGroup
from apps.teachers.models import Category

from .models import Vacancy, categories_to_mask, mask_to_categories
from .services import ClusterShare
from .services.vacancies import CONTENT_FIELDS


class VacancyForm(forms.ModelForm):
    """A school's vacancy; a cluster lead also splits the weekly hours across its schools."""

    subjects = forms.ModelMultipleChoiceField(
        label=_("Subjects"),
        queryset=Subject.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.ModelMultipleChoiceField(
        label=_("School levels"),
        queryset=TeachingLevel.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.TypedMultipleChoiceField(
        label=_("Accepted teacher categories"),
        choices=Category.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster vacancy"),
        queryset=None,
        required=False,
        empty_label=_("No: a post at our school only"),
        help_text=_(
            "A cluster vacancy is one post shared by the lead school and its member schools."
        ),
    )

    class Meta:
        model = Vacancy
        # The school edits exactly what the service saves; categories come as checkboxes.
        fields = [name for name in CONTENT_FIELDS if name != "accepted_categories"]
        labels = {
            "title_en": _("Title (English)"),
            "title_zh_hans": _("Title (Chinese, optional)"),
            "description_en": _("Description for teachers (English)"),
            "description_zh_hans": _("Description (Chinese, optional)"),
        }
        widgets = {
            "contract_start": DateInput(),
            "contract_end": DateInput(),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "description_zh_hans": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True
        self.fields["description_en"].required = True
        clusters = list(clusters or [])
        if clusters:
            self.fields["cluster"].queryset = SchoolGroup.objects.filter(
                pk__in=[c.pk for c in clusters]
            )
        else:
            del self.fields["cluster"]
        # One hours field per school of the clusters this school leads (lead school first).
        self.share_fields: list[tuple[str, object]] = []
        seen = set()
        for cluster in clusters:
            for school in [cluster.lead_school, *(m.school for m in cluster.members.all())]:
                if school.pk in seen:
                    continue
                seen.add(school.pk)
                name = f"hours_{school.code}"
                self.fields[name] = forms.IntegerField(
                    label=_("Weekly hours at %(school)s") % {"school": school},
                    min_value=0,
                    max_value=40,
                    required=False,
                )
                self.share_fields.append((name, school))
        if self.instance.pk:
            self.initial.setdefault("subjects", list(self.instance.subjects.all()))
            self.initial.setdefault("levels", list(self.instance.levels.all()))
            self.initial.setdefault(
                "categories", mask_to_categories(self.instance.accepted_categories)
            )
            if clusters:
                self.initial.setdefault("cluster", self.instance.cluster)
            for row in self.instance.cluster_schools.all():
                self.initial.setdefault(f"hours_{row.school.code}", row.weekly_hours)
        else:
            self.initial.setdefault("categories", [1, 2, 3])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("contract_start"), cleaned.get("contract_end")
        if start and end and end <= start:
            self.add_error("contract_end", _("The contract must end after it starts."))
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and high < low:
            self.add_error("salary_max", _("The maximum salary cannot be below the minimum."))
        return cleaned

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["accepted_categories"] = categories_to_mask(self.cleaned_data["categories"])
        return values

    def cluster_shares(self) -> list[ClusterShare]:
        return [
            ClusterShare(school=school, weekly_hours=self.cleaned_data[name])
            for name, school in self.share_fields
            if self.cleaned_data.get(name)
        ]


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason sent back"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The school reads this; say what to change."),
    )


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name this search"), max_length=100)
    email_alerts = forms.BooleanField(
        label=_("Tell me about new vacancies that match"), required=False, initial=True
    )
