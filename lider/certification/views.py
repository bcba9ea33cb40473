"""Back-office views of certification: rules, issuing, the register (test scores: score_views)."""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lider.certification import exports, issuing, printing, queries, rules, services
from lider.certification.forms import (
    CompletionRuleForm,
    NumberPatternForm,
    RevokeForm,
)
from lider.certification.models import BulkIssueRun, Certificate, CertificateSeries
from lider.core import audit
from lider.core.permissions import allows
from lider.people.models import Participant
from lider.people.restrictions import restricted_flag
from lider.projects.access import project_view
from lider.projects.models import Task


def _abilities(roles) -> dict:
    return {
        name.replace(".", "_"): allows(roles, name)
        for name in (
            "certificates.issue",
            "certificates.rules",
            "certificates.scores",
            "certificates.export",
            "audit.view_object",
        )
    }


def _task(project, pk) -> Task:
    return get_object_or_404(Task, pk=pk, project=project)


@project_view("certificates.view")
def overview(request, project):
    """The register of certificates and the tasks that can have a completion rule."""
    tasks = project.tasks.select_related("completion_rule").order_by("order", "pk")
    certificates = queries.certificates_for_project(project)
    series = CertificateSeries.objects.filter(project=project, task__isnull=True).first()
    return render(
        request,
        "certification/backoffice/overview.html",
        {
            "project": project,
            "tasks": tasks,
            "certificates": certificates,
            "series": series,
            "can": _abilities(request.project_roles),
        },
    )


ROWS_PER_PAGE = 50


@project_view("certificates.view")
def task_standings(request, project, task_pk):
    """Every participant of a task against the rule: who may get a certificate, who not, why."""
    task = _task(project, task_pk)
    rule = queries.completion_rule(task)
    labels = queries.session_labels(task) if rule else {}
    page = Paginator(queries.standings_pages(task, rule), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # A task of a few hundred is evaluated whole for its summary; a larger one shows its
    # counts, each row its evaluation, and the bulk issue evaluates everyone in the worker.
    whole = (
        queries.standings(task, rule) if page.paginator.count <= queries.EVALUATED_WHOLE else None
    )
    return render(
        request,
        "certification/backoffice/task.html",
        {
            "project": project,
            "task": task,
            "rule": rule,
            "rule_text": rules.describe(rule.conditions, sessions=labels) if rule else "",
            "page": page,
            "whole": whole,
            "eligible": [s for s in whole if s.eligible] if whole else [],
            "missing": [s for s in whole if s.eligible and not s.certificate] if whole else [],
            "not_eligible": [s for s in whole if not s.eligible] if whole else [],
            "certified": None
            if whole is not None
            else Certificate.objects.valid().filter(task=task).count(),
            "gain": queries.knowledge_gain(task),
            "gain_by_group": queries.knowledge_gain_by_group(task),
            "last_run": BulkIssueRun.objects.filter(task=task).first(),
            "can": _abilities(request.project_roles),
        },
    )


@project_view("certificates.rules")
def rule_edit(request, project, task_pk):
    task = _task(project, task_pk)
    rule = queries.completion_rule(task)
    labels = queries.session_labels(task)
    form = CompletionRuleForm(
        request.POST or None,
        initial=CompletionRuleForm.initial_from(rule.conditions if rule else None),
        session_choices=labels.items(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_completion_rule(
                task, actor=request.user, conditions=form.cleaned_data["conditions"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The completion rule has been saved."))
            return redirect("certification:task", slug=project.slug, task_pk=task.pk)
    return render(
        request,
        "certification/backoffice/rule.html",
        {"project": project, "task": task, "rule": rule, "form": form},
    )


@project_view("certificates.rules")
def numbering(request, project):
    series = CertificateSeries.objects.filter(project=project, task__isnull=True).first()
    form = NumberPatternForm(
        request.POST or None,
        initial={"pattern": series.pattern if series else services.DEFAULT_PATTERN},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_number_pattern(
                project, actor=request.user, pattern=form.cleaned_data["pattern"]
            )
        except ValidationError as error:
            form.add_error("pattern", error)
        else:
            messages.success(request, _("The number format has been saved."))
            return redirect("certification:overview", slug=project.slug)
    return render(
        request,
        "certification/backoffice/numbering.html",
        {"project": project, "form": form, "series": series},
    )


@project_view("certificates.issue")
@require_POST
def issue_one(request, project, task_pk, participant_pk):
    task = _task(project, task_pk)
    participant = get_object_or_404(Participant, pk=participant_pk, project=project)
    try:
        certificate = issuing.issue_certificate(task, participant, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certification:task", slug=project.slug, task_pk=task.pk)
    messages.success(
        request, _("Certificate %(number)s has been issued.") % {"number": certificate.number}
    )
    return redirect("certification:detail", slug=project.slug, pk=certificate.pk)


@project_view("certificates.issue")
@require_POST
def bulk_issue(request, project, task_pk):
    task = _task(project, task_pk)
    try:
        run = issuing.start_bulk_issue(task, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certification:task", slug=project.slug, task_pk=task.pk)
    return redirect("certification:run", slug=project.slug, pk=run.pk)


@project_view("certificates.view")
def run_detail(request, project, pk):
    """A bulk run's progress; HTMX polls the same view for the progress fragment."""
    run = get_object_or_404(
        BulkIssueRun.objects.select_related("task"), pk=pk, task__project=project
    )
    template = "certification/backoffice/run.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return render(request, template, {"project": project, "run": run, "task": run.task})


@project_view("certificates.view")
def task_pdf(request, project, task_pk):
    """Every valid certificate of the task in one PDF (for printing)."""
    task = _task(project, task_pk)
    certificates = list(Certificate.objects.valid().filter(task=task).order_by("sequence"))
    if not certificates:
        messages.error(request, _("The task has no valid certificates yet."))
        return redirect("certification:task", slug=project.slug, task_pk=task.pk)
    audit.record(
        request.user,
        audit.Action.EXPORT,
        task,
        project_id=project.pk,
        note=audit.Note(
            gettext_lazy("certificates of the task in one PDF, %(count)s"), count=len(certificates)
        ),
    )
    response = HttpResponse(printing.render(certificates), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zaswiadczenia-{task.pk}.pdf"'
    return response


@project_view("certificates.view")
def task_zip(request, project, task_pk):
    """Every valid certificate of the task as its own PDF, in one ZIP (for sending one by one)."""
    task = _task(project, task_pk)
    certificates = list(Certificate.objects.valid().filter(task=task).order_by("sequence"))
    if not certificates:
        messages.error(request, _("The task has no valid certificates yet."))
        return redirect("certification:task", slug=project.slug, task_pk=task.pk)
    audit.record(
        request.user,
        audit.Action.EXPORT,
        task,
        project_id=project.pk,
        note=audit.Note(
            gettext_lazy("certificates of the task as a ZIP of PDFs, %(count)s"),
            count=len(certificates),
        ),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(issuing.attachment_name(certificate), printing.render([certificate]))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="zaswiadczenia-{task.pk}.zip"'
    return response


@project_view("certificates.view")
def certificate_detail(request, project, pk):
    certificate = get_object_or_404(
        Certificate.objects.select_related("task", "issued_by", "revoked_by", "participant"),
        pk=pk,
        project=project,
    )
    current = _current_evaluation(certificate)
    stored = certificate.evaluation
    differs = current is None or (
        current.met != stored.get("met")
        or current.inputs != stored.get("inputs")
        or certificate_rule_version(certificate) != stored.get("rule_version")
    )
    return render(
        request,
        "certification/backoffice/detail.html",
        {
            "project": project,
            "certificate": certificate,
            "current": current,
            "differs": differs,
            "history": audit.history(certificate),
            "can": _abilities(request.project_roles),
        },
    )


def certificate_rule_version(certificate) -> int | None:
    rule = queries.completion_rule(certificate.task)
    return rule.version if rule else None


def _current_evaluation(certificate) -> rules.Evaluation | None:
    """The participant against the task's current rule and data (None: no longer evaluable)."""
    rule = queries.completion_rule(certificate.task)
    enrolment = (
        queries.enrolments(certificate.task)
        .filter(participant_id=certificate.participant_id)
        .first()
    )
    if rule is None or enrolment is None:
        return None
    named = rules.session_ids_in(rule.conditions)
    facts = queries.participant_facts(
        certificate.task,
        [{"participant_id": enrolment.participant_id, "group_id": enrolment.group_id}],
        session_ids=named,
    )[enrolment.participant_id]
    labels = queries.session_labels(certificate.task) if named else {}
    return rules.evaluate(rule.conditions, facts, sessions=labels)


@project_view("certificates.view")
def certificate_pdf(request, project, pk):
    certificate = get_object_or_404(Certificate, pk=pk, project=project)
    pdf = printing.render([certificate])
    audit.record(
        request.user, audit.Action.EXPORT, certificate, note=gettext_lazy("certificate PDF")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{issuing.attachment_name(certificate)}"'
    return response


@project_view("certificates.issue")
def certificate_revoke(request, project, pk):
    """GET asks for confirmation (saying what will happen) and the reason; only POST revokes."""
    certificate = get_object_or_404(Certificate, pk=pk, project=project)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            issuing.revoke_certificate(
                certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The certificate has been revoked."))
            return redirect("certification:detail", slug=project.slug, pk=certificate.pk)
    return render(
        request,
        "certification/backoffice/revoke.html",
        {"project": project, "certificate": certificate, "form": form},
    )


@project_view("certificates.export")
def register_xlsx(request, project):
    """The register of issued certificates as XLSX (an audited export of personal data)."""
    certificates = queries.certificates_for_project(project).annotate(
        restricted=restricted_flag("participant__person_id")
    )
    content, count = exports.register_xlsx(certificates)
    audit.record(
        request.user,
        audit.Action.EXPORT,
        project,
        note=audit.Note(gettext_lazy("register of certificates, %(count)s rows"), count=count),
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="rejestr-zaswiadczen-{stamp}.xlsx"'
    return response
