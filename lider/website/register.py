"""The register of processing activities (GDPR art. 30(1)) of one project, from what Lider
knows: the information clause, the project card, the people recorded and the data model."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from lider.core.documents import ReportData, ReportSection, ReportTable, render_report
from lider.core.spreadsheets import Workbook
from lider.people.fields import PERSON_FIELDS
from lider.people.models import Participant, Person
from lider.recruitment.models import Application
from lider.recruitment.services import current_information_clause

SPECIAL = ("disability", "minority_or_migrant")
NOT_DATA = {"gmina"}  # the place of residence is named by the address fields
NAME = gettext_lazy(
    "Recruitment, support and monitoring of the participants of the project “%(title)s” "
    "(%(number)s)"
)
SUBJECTS = gettext_lazy(
    "participants (%(participants)s); applicants who did not become participants "
    "(%(applicants)s); representatives of institutions"
)
MEASURES = gettext_lazy(
    "access by roles per project, each page and action checked against one permission "
    "table; PESEL and special-category data masked for roles without permission, every view "
    "of them recorded; an audit trail of every change and export; a second factor for "
    "administrators; login throttling; people restricted under art. 18 left out of exports "
    "and e-mails; anonymisation after the archiving date"
)


def _retention(project, clause, missing) -> str:
    date = f"{project.archiving_date:%d.%m.%Y}" if project.archiving_date else ""
    if clause:
        return f"{clause.retention} ({date})" if date else clause.retention
    return date or missing


def rows(project) -> list[tuple[str, str]]:
    clause = current_information_clause(project)
    missing = _("not given in the project's information clause")
    fields = [Person._meta.get_field(name) for name in PERSON_FIELDS if name not in NOT_DATA]
    ordinary = [str(f.verbose_name) for f in fields if f.name not in SPECIAL]
    special = [str(f.verbose_name) for f in fields if f.name in SPECIAL]
    participants = Participant.objects.filter(project=project, person__isnull=False).count()
    applicants = (
        Application.objects.filter(project=project, person__isnull=False)
        .exclude(person__participations__project=project)
        .count()
    )
    return [
        (_("Controller"), clause.controller if clause else str(project.applicant)),
        (_("Data protection officer"), clause.dpo_contact if clause else missing),
        (_("Name of the processing"), NAME % {"title": project.title, "number": project.number}),
        (_("Purposes of processing"), clause.purposes if clause else missing),
        (_("Legal bases"), clause.legal_bases if clause else missing),
        (
            _("Categories of data subjects"),
            SUBJECTS % {"participants": participants, "applicants": applicants},
        ),
        (_("Categories of personal data"), ", ".join(ordinary)),
        (_("Special categories of personal data (art. 9)"), ", ".join(special)),
        (_("Categories of recipients"), clause.recipients if clause else missing),
        (_("Transfers to third countries"), _("none recorded in Lider")),
        (_("Time limits for erasure"), _retention(project, clause, missing)),
        (_("Technical and organisational security measures"), str(MEASURES)),
    ]


def as_pdf(project, *, lang: str) -> bytes:
    with override(lang):
        table = ReportTable(columns=[_("Item"), _("Description")], rows=rows(project))
        report = ReportData(
            title=_("Register of processing activities (art. 30 GDPR)"),
            subtitle=project.title,
            sections=[ReportSection(heading=project.number, tables=[table])],
        )
    return render_report(report, lang=lang)


def as_xlsx(project, *, lang: str) -> bytes:
    buffer = io.BytesIO()
    with override(lang), Workbook(buffer) as workbook:
        sheet = workbook.add_sheet(_("Register"))
        sheet.write_header(0, [_("Item"), _("Description")])
        for index, (item, text) in enumerate(rows(project), start=1):
            sheet.write_text(index, 0, item)
            sheet.write_text(index, 1, text)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, 100)
    return buffer.getvalue()
