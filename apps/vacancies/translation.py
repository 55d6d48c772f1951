from modeltranslation.translator import TranslationOptions, register

from .models import Vacancy


@register(Vacancy)
class VacancyTranslation(TranslationOptions):
    # Teachers read English; Chinese is optional for the school's own staff and bureaus.
    fields = ("title", "description")
    required_languages = ("en",)
