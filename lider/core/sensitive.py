"""Personal and sensitive fields: which they are, how they are masked, who sees them whole.

A model marks its fields with a class attribute mapping field name to a masking function:

    class Person(models.Model):
        sensitive_fields = {"pesel": mask_pesel, "disability": mask_hidden}

Lists and the audit trail show the masked value; the whole value reaches only roles holding
the permission `personal.view_sensitive`, through a "show" action that is itself audited
(see `lider.projects.sensitive_views`), and exports include it only for those roles.
"""

from django.utils.translation import gettext_lazy as _

HIDDEN = _("(hidden)")


def mask_pesel(value) -> str:
    """'90010112349' → '900101*****': the birth date stays, the person does not."""
    if not value:
        return ""
    value = str(value)
    return value[:6] + "*" * (len(value) - 6)


def mask_identifier(value) -> str:
    """Any other identifier: the last three characters stay."""
    if not value:
        return ""
    value = str(value)
    return "*" * max(len(value) - 3, 3) + value[-3:]


def mask_hidden(value) -> str:
    """Health, disability, minority and the like: not even the answer shows."""
    if value in (None, ""):
        return ""
    return str(HIDDEN)


def sensitive_fields(obj_or_model) -> dict:
    return getattr(obj_or_model, "sensitive_fields", {})


def is_sensitive(obj_or_model, field_name: str) -> bool:
    return field_name in sensitive_fields(obj_or_model)


def mask(obj_or_model, field_name: str, value) -> str:
    return sensitive_fields(obj_or_model)[field_name](value)


def display(obj, field_name: str, *, reveal: bool) -> str:
    """The value to show: whole when `reveal` (the role may and the reveal is audited)."""
    value = getattr(obj, field_name)
    getter = getattr(obj, f"get_{field_name}_display", None)
    shown = getter() if getter and value not in (None, "") else value
    if reveal or not is_sensitive(obj, field_name):
        return "" if shown is None else str(shown)
    return mask(obj, field_name, value)
