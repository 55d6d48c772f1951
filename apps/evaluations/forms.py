from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import District

from .models import (
    SCORES,
    Dimension,
    EvaluationRound,
    RubricLevel,
    SchoolAssessment,
    SurveyQuestion,
)
from .services.assessments import school_assessment_check


def _dimension_label(dimension: Dimension) -> str:
    label = str(dimension.label)
    with translation.override("en"):
        english = str(dimension.label)
    return label if english == label else f"{label} / {english}"


def _level_label(level: RubricLevel) -> str:
    # School staff read Chinese first, but the rubric is published in both languages.
    text = level.description
    english = level.description_en
    if get_language() != "en" and english and english != text:
        text = f"{text} / {english}"
    return f"{level.score} · {text}"


class EvaluationForm(forms.Form):
    """The school's evaluation: a rubric score and a comment per dimension, an overall comment."""

    overall_comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    serious_incident = forms.BooleanField(
        label=_("A serious incident happened this quarter"),
        required=False,
        help_text=_("The service center is told at once."),
    )
    incident_description = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, levels: dict[str, list[RubricLevel]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for dimension in Dimension:
            choices = [(level.score, _level_label(level)) for level in levels.get(dimension, [])]
            fields[f"{dimension.value}_score"] = forms.TypedChoiceField(
                label=_dimension_label(dimension),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            fields[f"{dimension.value}_comment"] = forms.CharField(
                label=_("Comment on “%(dimension)s”") % {"dimension": dimension.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**fields, **self.fields}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("serious_incident") and not cleaned.get("incident_description", "").strip():
            self.add_error(
                "incident_description",
                _("Describe the serious incident: the service center is told at once."),
            )
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("You can respond once; your school and the service center will read it."),
    )


SCORE_CHOICES = [(score, str(score)) for score in SCORES]


class SurveyForm(forms.Form):
    """One 1–5 answer per asked question and an optional comment."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Only the service center reads single answers and comments."),
    )

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        fields = {
            f"q_{question.pk}": forms.TypedChoiceField(
                label=question.text,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                help_text=_("1 = not at all, 5 = fully"),
            )
            for question in questions
        }
        self.fields = {**fields, **self.fields}

    def scores(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q_{q.pk}"] for q in self.questions}


class AssessmentForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Assessor's score"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = poor, 5 = excellent management of the school's foreign teachers"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LateFilterForm(forms.Form):
    """Filters for the late lists: quarter, district (within the jurisdiction), school name."""

    round = forms.ModelChoiceField(
        label=_("Quarter"),
        queryset=EvaluationRound.objects.order_by("-starts_on"),
        to_field_name="quarter",
        required=False,
        empty_label=_("All quarters"),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All districts"),
    )
    school = forms.CharField(label=_("School"), required=False, max_length=100)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "round": data.get("round"),
            "district": data.get("district"),
            "school_name": (data.get("school") or "").strip(),
        }


class SchoolAssessmentAdminForm(forms.ModelForm):
    """The admin's assessment form: refuses a school that employed no one in the quarter."""

    class Meta:
        model = SchoolAssessment
        fields = ["round", "school", "score", "comment"]

    def clean(self):
        cleaned = super().clean()
        round_ = cleaned.get("round") or getattr(self.instance, "round", None)
        school = cleaned.get("school") or getattr(self.instance, "school", None)
        if self.instance.pk is None and round_ is not None and school is not None:
            try:
                school_assessment_check(round=round_, school=school)
            except ValidationError as error:
                self.add_error("school", error)
        return cleaned
