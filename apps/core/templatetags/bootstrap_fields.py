"""Bootstrap classes on a bound form field's widget (for templates/includes/filter_field.html).

A light alternative to crispy's `as_crispy_field` for list filter forms, rendered on every
request of the busy bureau and center lists.
"""

from django import forms, template

register = template.Library()

_CHECK = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, _CHECK):
        return "form-check-input"
    if isinstance(widget, forms.Select):  # also SelectMultiple
        return "form-select"
    return "form-control"


@register.filter
def bootstrap_widget(field: forms.BoundField) -> str:
    """Render the field's widget with its Bootstrap class, marked invalid when it has errors."""
    existing = field.field.widget.attrs.get("class", "")
    css = " ".join(part for part in (existing, _widget_class(field.field.widget)) if part)
    attrs = {"class": css}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)
