"""The roll-up page and its XLSX: every project the user may see, filtered, in one page."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lider.core.kept_pages import kept_page
from lider.core.spreadsheets import XLSX_CONTENT_TYPE
from lider.people.models import LabourStatus, Sex
from lider.projects.access import staff_view
from lider.reporting import kept
from lider.reporting.queries import county_names
from lider.reporting.rollup.export import rollup_workbook
from lider.reporting.rollup.forms import RollupFilterForm
from lider.reporting.rollup.queries import RISK_MARGIN, rollup, visible_roles


def _rollup(request):
    roles = visible_roles(request.user)
    form = RollupFilterForm(request.GET or None, project_ids=list(roles))
    data = rollup(request.user, form.filters(), roles=roles)
    return form, data


@require_safe
@kept_page(kept.rollup_tokens)
@staff_view
def rollup_page(request):
    """Participants, certificates, entities, indicators and projects at risk over every project
    where the user's roles allow the roll-up; each project opens into its own dashboard."""
    form, data = _rollup(request)
    return render(
        request,
        "reporting/rollup/page.html",
        {
            "form": form,
            "rollup": data,
            "risk_margin": RISK_MARGIN,
            "counties": county_names(data.by_county),
            "sexes": [(label, data.by_sex.get(value, 0)) for value, label in Sex.choices],
            "statuses": [
                (dict(LabourStatus.choices).get(value, _("not recorded")), n)
                for value, n in data.by_status.items()
            ],
            "query": request.GET.urlencode(),
            "period_query": _period_query(data.filters),
        },
    )


def _period_query(filters) -> str:
    """The dashboard shows a period given both ends (its own form's rule)."""
    if filters.start and filters.end:
        return urlencode({"start": filters.start.isoformat(), "end": filters.end.isoformat()})
    return ""


@require_safe
@staff_view
def rollup_xlsx(request):
    form, data = _rollup(request)
    content = rollup_workbook(data, counties=county_names(data.by_county))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="zestawienie-projektow.xlsx"'
    return response
