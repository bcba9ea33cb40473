"""Stored choice values shown as their labels, in the reader's language."""

from functools import cache

from django import template
from django.apps import apps

register = template.Library()


@cache
def _labels(path: str) -> dict:
    app_label, model_name, field_name = path.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    return {str(value): label for value, label in field.flatchoices}


@register.filter
def choice_label(value, path: str):
    """``{{ mark|choice_label:"delivery.Attendance.status" }}``: "present" → "obecny(a)".

    A value the field does not offer is shown as it is; an empty one stays empty.
    """
    if value is None or value == "":
        return ""
    return _labels(path).get(str(value), value)
