from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.simple_tag
def field_label(entry, name):
    """The verbose name of a changed field, in the reader's language."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return name
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name
