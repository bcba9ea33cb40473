"""{% sensitive obj "field" %}: a masked value, with a "show" button for roles allowed to."""

from django import template
from django.urls import reverse

from lider.core import sensitive as sensitive_fields
from lider.core.permissions import allows

register = template.Library()


@register.inclusion_tag("includes/sensitive_value.html", takes_context=True)
def sensitive(context, obj, field):
    request = context["request"]
    project = getattr(request, "project", None)
    value = sensitive_fields.display(obj, field, reveal=False)
    reveal_url = None
    if (
        project is not None
        and value
        and sensitive_fields.is_sensitive(obj, field)
        and allows(getattr(request, "project_roles", ()), "personal.view_sensitive")
    ):
        reveal_url = reverse(
            "projects:reveal",
            kwargs={"slug": project.slug, "model": obj._meta.label, "pk": obj.pk, "field": field},
        )
    return {"value": value, "reveal_url": reveal_url}
