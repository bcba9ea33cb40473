"""The privacy page and the accessibility statement of the public site.

The statement follows the structure the act of 4 April 2019 on the digital accessibility of
public entities' websites and mobile applications prescribes (art. 10 and the minister's
template): the entity and the site, the dates, the compliance status and what is not
accessible, how the statement was prepared, feedback and contact, the request and complaint
procedure, architectural accessibility and mobile applications. What depends on the
installation (who runs it, the dates, the building) comes from `settings.LIDER_OPERATOR`.
"""

from django.conf import settings
from django.shortcuts import render

from lider.projects.models import Project
from lider.recruitment.models import InformationClause


def privacy(request):
    clauses = (
        InformationClause.objects.filter(is_current=True, project__in=Project.objects.public())
        .select_related("project")
        .order_by("project__title")
    )
    return render(
        request,
        "website/privacy.html",
        {"operator": settings.LIDER_OPERATOR, "clauses": clauses},
    )


def accessibility(request):
    return render(
        request,
        "website/accessibility.html",
        {"operator": settings.LIDER_OPERATOR, "site_url": settings.SITE_URL},
    )
