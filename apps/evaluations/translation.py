from modeltranslation.translator import TranslationOptions, register

from .models import RubricLevel, SurveyQuestion


@register(RubricLevel)
class RubricLevelTranslation(TranslationOptions):
    fields = ("description",)
    required_languages = ("en", "zh-hans")


@register(SurveyQuestion)
class SurveyQuestionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("en", "zh-hans")
