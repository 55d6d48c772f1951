from modeltranslation.translator import TranslationOptions, register

from .models import School


@register(School)
class SchoolTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("zh-hans",)
