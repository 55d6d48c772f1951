from modeltranslation.translator import TranslationOptions, register

from .models import District, Language, SchoolType, Subject, TeachingLevel


@register(District)
class DistrictTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "zh-hans")


@register(TeachingLevel)
class TeachingLevelTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "zh-hans")


@register(SchoolType)
class SchoolTypeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "zh-hans")


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "zh-hans")


@register(Subject)
class SubjectTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "zh-hans")
