"""Filters shared by the list pages' filter sets."""

import django_filters
from django.forms.utils import pretty_name
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _descending(label: str) -> str:
    return gettext("%s (descending)") % label


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort choices, with their "(descending)" labels in the reader's language.

    The base class formats those labels once, when the filter set's class is built, in the
    language active then: a Chinese page would show them in English. Here each is formatted
    when it is shown.
    """

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, _(pretty_name(param)))) for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}", lazy(_descending, str)(label)))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]
