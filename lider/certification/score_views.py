"""Back-office views of test scores: a task's pre- and post-test results, typed or imported
(coordinators and office for any task, trainers for the tasks they teach)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lider.certification import queries, services
from lider.certification.forms import ScoreImportForm, ScoresForm
from lider.certification.models import TestScore
from lider.core.permissions import ADMIN, COORD, OFFICE
from lider.delivery.models import Session
from lider.projects.access import project_view
from lider.projects.models import Task


def _task(project, pk) -> Task:
    return get_object_or_404(Task, pk=pk, project=project)


def _may_enter_scores(request, task) -> None:
    """Coordinators and office enter scores for any task, trainers only for tasks they teach."""
    if request.project_roles & {ADMIN, COORD, OFFICE}:
        return
    if not Session.objects.filter(task=task, trainers=request.user).exists():
        raise PermissionDenied


@project_view("certificates.scores")
def scores(request, project, task_pk):
    """A table of the task's participants with a pre-test and a post-test input each."""
    task = _task(project, task_pk)
    _may_enter_scores(request, task)
    rows = list(queries.enrolments(task))
    current = {s.participant_id: s for s in TestScore.objects.filter(task=task)}
    errors = {}
    if request.method == "POST":
        form = ScoresForm(request.POST, participant_ids=[e.participant_id for e in rows])
        if form.is_valid() and form.participant_ids:
            changed = services.save_test_scores(task, actor=request.user, scores=form.scores())
            messages.success(
                request, _("Test results saved (%(count)s changed).") % {"count": changed}
            )
            return redirect("certification:scores", slug=project.slug, task_pk=task.pk)
        errors = form.row_errors()
        if errors:
            messages.error(request, _("Please correct the marked results."))
    table = [
        {
            "enrolment": e,
            "pre": request.POST.get(f"pre-{e.participant_id}")
            if errors
            else getattr(current.get(e.participant_id), "pre_test", None),
            "post": request.POST.get(f"post-{e.participant_id}")
            if errors
            else getattr(current.get(e.participant_id), "post_test", None),
            "error": errors.get(e.participant_id),
        }
        for e in rows
    ]
    return render(
        request,
        "certification/backoffice/scores.html",
        {
            "project": project,
            "task": task,
            "table": table,
            "import_form": ScoreImportForm(),
            "gain": queries.knowledge_gain(task),
            "gain_by_group": queries.knowledge_gain_by_group(task),
        },
    )


@project_view("certificates.scores")
def scores_import(request, project, task_pk):
    task = _task(project, task_pk)
    _may_enter_scores(request, task)
    form = ScoreImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.import_test_scores(
                task, actor=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Test results imported (%(count)s changed).") % {"count": changed}
            )
            return redirect("certification:scores", slug=project.slug, task_pk=task.pk)
    return render(
        request,
        "certification/backoffice/scores_import.html",
        {"project": project, "task": task, "form": form},
    )
