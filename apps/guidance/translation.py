from modeltranslation.translator import TranslationOptions, register

from .models import Procedure, ProcedureMaterial, ProcedureStep


@register(Procedure)
class ProcedureTranslation(TranslationOptions):
    fields = ("title", "summary", "conditions", "fees", "authority", "legal_basis", "limit_note")
    required_languages = {"en": ("title",), "zh-hans": ("title",)}


@register(ProcedureStep)
class ProcedureStepTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("en", "zh-hans")


@register(ProcedureMaterial)
class ProcedureMaterialTranslation(TranslationOptions):
    fields = ("name", "notes")
    required_languages = {"en": ("name",), "zh-hans": ("name",)}
