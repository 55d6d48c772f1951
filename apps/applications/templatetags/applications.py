from django import template

from ..selectors import application_for_vacancy_page

register = template.Library()


@register.simple_tag
def teacher_application(teacher, vacancy):
    """Return the teacher's application to the vacancy (for the Apply box on its page)."""
    return application_for_vacancy_page(teacher=teacher, vacancy=vacancy)
