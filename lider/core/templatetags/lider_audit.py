"""Audit entries in the reader's language: field names and stored values made readable."""

import datetime
import json

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lider.core import sensitive

register = template.Library()

EMPTY = "—"


def _field(entry, name):
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


@register.simple_tag
def field_label(entry, name):
    """The verbose name of a changed field, in the reader's language."""
    field = _field(entry, name)
    return getattr(field, "verbose_name", name) if field is not None else name


@register.simple_tag
def audit_value(entry, name, value):
    """A stored value as the reader should see it: a choice's label, yes/no, a date, "—"."""
    if value is None or value == "" or value == []:
        return EMPTY
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is not None and sensitive.is_sensitive(model, name):
        # Stored masked; masked again on read so that an entry written before masking (or by
        # a path that stored the value itself) never shows it, and "(hidden)" is in the
        # reader's language. The whole value is shown only through the audited "show" action.
        return sensitive.mask(model, name, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, dict | list) for item in value)
    ):
        # Structured data (rule parameters, an evaluation) is shown as stored, marked as data.
        return format_html("<code>{}</code>", json.dumps(value, ensure_ascii=False, sort_keys=True))
    if isinstance(value, list):
        return ", ".join(str(audit_value(entry, name, item)) for item in value)
    field = _field(entry, name)
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        labels = {str(key): label for key, label in choices}
        # Entries written before values were stored raw hold the label itself: shown as is.
        return labels.get(str(value), value)
    if isinstance(value, str) and field is not None:
        try:
            if field.get_internal_type() == "DateField":
                return formats.date_format(datetime.date.fromisoformat(value), "d.m.Y")
            if field.get_internal_type() == "DateTimeField":
                moment = datetime.datetime.fromisoformat(value)
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return formats.date_format(moment, "d.m.Y H:i")
        except ValueError:
            return value
    return value


@register.inclusion_tag("includes/audit_changes.html")
def audit_changes(entry, only=None):
    """The entry's changed fields: "label: old → new" (only the new value of a new object)."""
    rows = []
    for name, change in (entry.changes or {}).items():
        if only and name != only:
            continue
        old, new = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        rows.append(
            {
                "label": field_label(entry, name),
                "old": None if old is None else audit_value(entry, name, old),
                "new": None if new is None else audit_value(entry, name, new),
            }
        )
    return {"rows": rows, "only": only}
