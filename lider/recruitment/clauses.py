"""The project's information clause (GDPR art. 13): its versions, their defaults, editing.

A clause is never edited in place: applications record the version they were submitted with
(`Application.information_clause`), so a change publishes a new version and keeps the old
ones. A project created through the back office gets a first version built from what the
installation knows (`settings.LIDER_OPERATOR`, the applicant on the card, the archiving date);
a project that still has none shows the same default on its public form, and the first
application saves it as a version so that what the applicant saw is recorded with them.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lider.core import audit
from lider.projects.access import project_view
from lider.projects.models import Project
from lider.recruitment.models import InformationClause

SECTION_MAX_LENGTH = 5000


def default_values(project: Project) -> dict[str, str]:
    """Sensible text for each section from the installation's and the project's data."""
    operator = settings.LIDER_OPERATOR
    contact = ", ".join(v for v in (operator["address"], operator["email"], operator["phone"]) if v)
    controller = project.applicant.name if project.applicant_id else operator["name"]
    if not project.applicant_id and contact:
        controller = f"{controller}, {contact}"
    if project.archiving_date:
        retention = _(
            "Until %(date)s, the archiving date of the project's programme set in the funding "
            "agreement; after it the data are anonymised."
        ) % {"date": formats.date_format(project.archiving_date, "SHORT_DATE_FORMAT")}
    else:
        retention = _(
            "Until the archiving date of the project's programme set in the funding agreement; "
            "after it the data are anonymised."
        )
    dpo = operator["dpo_email"] or operator["email"]
    return {
        "controller": controller,
        "purposes": _(
            "Recruitment to the project %(title)s, its delivery, support, monitoring, "
            "control, evaluation and reporting to the funding institution."
        )
        % {"title": project.title},
        "legal_bases": _(
            "Art. 6(1)(c) GDPR (a legal obligation under the rules of the funding programme), "
            "art. 9(2)(g) GDPR for data on disability, and consent (art. 6(1)(a)) for data "
            "given voluntarily."
        ),
        "recipients": _(
            "The funding institutions of the programme, bodies carrying out evaluation, "
            "control and audit on their behalf, and IT service providers of the controller."
        ),
        "retention": retention,
        "rights": _(
            "Access to your data, rectification, restriction of processing, objection, "
            "erasure after the archiving period, withdrawal of consent at any time, and a "
            "complaint to the President of the Personal Data Protection Office."
        ),
        "dpo_contact": _("Data protection officer: %(contact)s") % {"contact": dpo}
        if dpo
        else _("Contact the controller at the address above."),
    }


def shown_clause(project: Project) -> InformationClause:
    """What the public form shows: the current version, or an unsaved default."""
    current = project.information_clauses.filter(is_current=True).first()
    if current is not None:
        return current
    return InformationClause(project=project, version=_("default"), **default_values(project))


def clause_to_record(project: Project) -> InformationClause:
    """The version an application records; the default is saved the first time it is used."""
    current = project.information_clauses.filter(is_current=True).first()
    if current is not None:
        return current
    with translation.override(settings.LANGUAGE_CODE):
        return publish(project, actor=None, values=default_values(project))


def _next_version(project: Project) -> str:
    base = timezone.localdate().isoformat()
    taken = set(project.information_clauses.values_list("version", flat=True))
    version, n = base, 1
    while version in taken:
        n += 1
        version = f"{base}.{n}"
    return version


@transaction.atomic
def publish(project: Project, *, actor, values: dict[str, str]) -> InformationClause:
    """A new current version; the old ones stay (applications point at them). Audited."""
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one publisher at a time
    previous = project.information_clauses.filter(is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    clause = InformationClause.objects.create(
        project=project,
        version=_next_version(project),
        is_current=True,
        **{name: values[name] for name in InformationClause.SECTIONS},
    )
    before = {name: getattr(previous, name) if previous else None for name in clause.SECTIONS}
    audit.record(
        actor,
        audit.Action.CREATE,
        clause,
        changes={
            "version": [previous.version if previous else None, clause.version],
            **{
                name: [before[name], values[name]]
                for name in clause.SECTIONS
                if before[name] != values[name]
            },
        },
    )
    return clause


def ensure_clause(project: Project, *, actor) -> InformationClause:
    """A new project's first version (unless its template's was copied): the defaults."""
    current = project.information_clauses.filter(is_current=True).first()
    if current is not None:
        return current
    return publish(project, actor=actor, values=default_values(project))


class ClauseForm(forms.ModelForm):
    class Meta:
        model = InformationClause
        fields = list(InformationClause.SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in InformationClause.SECTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.max_length = SECTION_MAX_LENGTH
            field.validators.append(MaxLengthValidator(SECTION_MAX_LENGTH))
            field.widget.attrs["maxlength"] = SECTION_MAX_LENGTH


@project_view("project.change")
def edit_clause(request, project):
    """The clause's current text to edit (saving publishes a version) and the earlier ones."""
    shown = shown_clause(project)
    initial = {name: getattr(shown, name) for name in InformationClause.SECTIONS}
    form = ClauseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed() and shown.pk:
            messages.info(request, _("Nothing changed: no new version was published."))
        else:
            clause = publish(project, actor=request.user, values=form.cleaned_data)
            messages.success(
                request,
                _("Version %(version)s of the information clause is now shown on the form.")
                % {"version": clause.version},
            )
        return redirect("recruitment:clause", slug=project.slug)
    versions = project.information_clauses.annotate(
        application_count=Count("applications")
    ).order_by("-pk")
    return render(
        request,
        "recruitment/backoffice/clause.html",
        {"project": project, "form": form, "current": shown, "versions": versions},
    )
