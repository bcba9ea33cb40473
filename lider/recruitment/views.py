"""The back office of recruitment: applications, ranking, decisions, consents, import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.core import audit, sensitive
from lider.core.permissions import allows
from lider.people.fields import comparable_fields
from lider.people.forms import InstitutionForm, PersonForm
from lider.projects.access import project_view
from lider.recruitment import identity as applicant_identity
from lider.recruitment import queries, rules, services
from lider.recruitment.forms import (
    INSTITUTION_FIELDSETS,
    PERSON_FIELDSETS,
    ApplicationForm,
    CriterionFormSet,
    DecisionForm,
    FilterForm,
    IdentityForm,
    RuleFormSet,
    WithdrawalForm,
)
from lider.recruitment.models import Application, Consent, ScoringCriterion
from lider.recruitment.public import submit_forms
from lider.territory.queries import gminas_in


def _can(roles) -> dict:
    return {
        name.replace(".", "_"): allows(roles, name)
        for name in (
            "recruitment.manage",
            "recruitment.decide",
            "recruitment.rules",
            "people.view",
            "people.import",
            "audit.view_object",
            "personal.view_sensitive",
        )
    }


def _scores_hidden(request, project) -> bool:
    """Totals include points for special-category data (disability): a role that may not see
    that data could read it off a score, so it sees no scores and no ranking order."""
    return not allows(request.project_roles, "personal.view_sensitive") and (
        project.scoring_criteria.filter(kind__in=ScoringCriterion.SPECIAL_CATEGORY).exists()
    )


def _counties(project):
    return sorted(project.counties.all(), key=lambda c: c.code)


@project_view("recruitment.view")
def application_list(request, project):
    form = FilterForm(
        request.GET or None,
        counties=_counties(project),
        target_groups=list(project.target_groups.all()),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    applications = queries.filtered(queries.applications_for(project), **filters)
    counts = queries.summary(project, applications, **filters)
    paginator = Paginator(applications.order_by("-submitted_at", "-pk"), 50)
    paginator.count = counts["total"]  # counted once, with the summary
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/backoffice/list.html",
        {
            "project": project,
            "form": form,
            "page": page,
            "counts": counts,
            "statuses": Application.Status.choices,
            "scores_hidden": _scores_hidden(request, project),
            "can": _can(request.project_roles),
        },
    )


@project_view("recruitment.view")
def ranking(request, project):
    scores_hidden = _scores_hidden(request, project)
    applications = [] if scores_hidden else list(queries.ranking(project))
    return render(
        request,
        "recruitment/backoffice/ranking.html",
        {
            "project": project,
            "applications": applications,
            "criteria": project.scoring_criteria.all(),
            "rules": project.eligibility_rules.filter(is_active=True),
            "scores_hidden": scores_hidden,
            "can": _can(request.project_roles),
        },
    )


@project_view("recruitment.view")
def application_detail(request, project, pk):
    application = get_object_or_404(
        queries.applications_for(project).select_related("decided_by", "participant"), pk=pk
    )
    ctx = rules.context_for(project)
    on = timezone.localdate(application.submitted_at)
    met = rules.points(ctx, person=application.person, institution=application.institution, on=on)
    # A criterion met only by special-category data (disability) names it: such criteria
    # are left out of the breakdown for roles that may not see that data.
    masked = not allows(request.project_roles, "personal.view_sensitive")
    hides_some = masked and any(c.is_special_category for c in ctx.criteria)
    return render(
        request,
        "recruitment/backoffice/detail.html",
        {
            "project": project,
            "application": application,
            "verdicts": [(r, rules.explain(r)) for r in application.eligibility],
            "points": [(c, p) for c, p in met if not (masked and c.is_special_category)],
            "points_hidden": hides_some,
            "scores_hidden": _scores_hidden(request, project),
            "same_in_project": applicant_identity.same_identifier_in_project(
                application
            ).select_related("person", "institution"),
            "consents": application.consents.select_related("text"),
            "decision_form": DecisionForm(),
            "withdrawal_form": WithdrawalForm(),
            "history": audit.history(application),
            "can": _can(request.project_roles),
        },
    )


def _back(project, application):
    return redirect("recruitment:detail", slug=project.slug, pk=application.pk)


@project_view("recruitment.decide")
@require_POST
def decide(request, project, pk):
    application = get_object_or_404(Application, pk=pk, project=project)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                application,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The decision has been recorded."))
    else:
        messages.error(request, _("Choose a decision."))
    return _back(project, application)


@project_view("recruitment.manage")
@require_POST
def withdraw(request, project, pk):
    application = get_object_or_404(Application, pk=pk, project=project)
    form = WithdrawalForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        offered = services.withdraw(application, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The withdrawal has been recorded."))
        if offered is not None:
            messages.info(
                request,
                _("The place has been offered to %(name)s from the reserve list.")
                % {"name": offered.applicant},
            )
    return _back(project, application)


@project_view("recruitment.manage")
@require_POST
def confirm_offer(request, project, pk):
    application = get_object_or_404(Application, pk=pk, project=project)
    try:
        services.confirm_offer(application, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The place has been taken: the applicant is a participant."))
    return _back(project, application)


@project_view("recruitment.manage", any_state=True)  # art. 7(3): at any time
@require_POST
def withdraw_consent(request, project, pk):
    consent = get_object_or_404(Consent, pk=pk, application__project=project)
    try:
        services.withdraw_consent(consent, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent has been withdrawn."))
    return _back(project, consent.application)


@project_view("recruitment.decide")
@require_POST
def recheck(request, project):
    changed = services.recheck_project(project, actor=request.user)
    messages.success(
        request, _("Applications checked again: %(count)s changed.") % {"count": changed}
    )
    return redirect("recruitment:list", slug=project.slug)


@project_view("recruitment.rules")
def edit_rules(request, project):
    data = request.POST if request.method == "POST" else None
    rules_formset = RuleFormSet(
        data,
        prefix="rules",
        queryset=project.eligibility_rules.all(),
        form_kwargs={"project": project},
    )
    criteria_formset = CriterionFormSet(
        data, prefix="criteria", queryset=project.scoring_criteria.all()
    )
    if data is not None and rules_formset.is_valid() and criteria_formset.is_valid():
        changed = services.save_rules(
            project,
            actor=request.user,
            rule_formset=rules_formset,
            criterion_formset=criteria_formset,
        )
        messages.success(
            request,
            _("The rules have been saved; applications checked again: %(count)s changed.")
            % {"count": changed},
        )
        return redirect("recruitment:ranking", slug=project.slug)
    return render(
        request,
        "recruitment/backoffice/rules.html",
        {
            "project": project,
            "rules_formset": rules_formset,
            "criteria_formset": criteria_formset,
            "can": _can(request.project_roles),
        },
    )


@project_view("recruitment.manage")
def new_application(request, project):
    """The office enters an application made on paper (consents signed on the paper form)."""
    kind = "institution" if request.GET.get("kind") == "institution" else "person"
    gminas = gminas_in(project.counties.all())
    data = request.POST if request.method == "POST" else None
    subject_form = (PersonForm if kind == "person" else InstitutionForm)(
        data, gminas=gminas, prefix="s"
    )
    form = ApplicationForm(
        data,
        project=project,
        consent_texts=services.required_consent_texts(project),
        prefix="a",
    )
    if data is not None and subject_form.is_valid() & form.is_valid():
        application = submit_forms(
            project, subject_form, form, kind=kind, source="paper", actor=request.user
        )
        if application is not None:
            messages.success(request, _("The application has been entered."))
            return redirect("recruitment:detail", slug=project.slug, pk=application.pk)
    fieldsets = PERSON_FIELDSETS if kind == "person" else INSTITUTION_FIELDSETS
    return render(
        request,
        "recruitment/backoffice/new.html",
        {
            "project": project,
            "kind": kind,
            "form": form,
            "subject_form": subject_form,
            "fieldsets": [
                (legend, [subject_form[n] for n in names]) for legend, names in fieldsets
            ],
            "can": _can(request.project_roles),
        },
    )


def _shown(obj, name: str) -> str:
    """A value for the comparison, masked when the field is sensitive."""
    if sensitive.is_sensitive(obj, name):
        return sensitive.display(obj, name, reveal=False) or "—"
    value = getattr(obj, name)
    if value in (None, ""):
        return "—"
    getter = getattr(obj, f"get_{name}_display", None)
    if getter is not None:
        return str(getter())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _comparison(own, other, fields) -> list[dict]:
    rows = []
    for name in fields:
        field = own._meta.get_field(name)
        differs = getattr(own, field.attname) != getattr(other, field.attname)
        rows.append(
            {
                "name": name,
                "label": field.verbose_name,
                "submitted": _shown(own, name),
                "known": _shown(other, name),
                "differs": differs,
            }
        )
    return rows


@project_view("recruitment.manage")
def identity(request, project, pk):
    """The office compares an applicant with the records of the same PESEL (or NIP, or other
    identity document) side by side, and links the application to one or keeps it separate."""
    application = get_object_or_404(queries.applications_for(project), pk=pk)
    own = application.applicant
    candidates = applicant_identity.identity_candidates(application)
    fields = comparable_fields(own)
    form = IdentityForm(
        request.POST if request.method == "POST" else None, candidates=candidates, fields=fields
    )
    if request.method == "POST" and application.identity == Application.Identity.TO_CHECK:
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == IdentityForm.LINK:
                    applicant_identity.link_applicant(
                        application, actor=request.user, to=data["record"], take=data["take"]
                    )
                else:
                    applicant_identity.keep_separate(application, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The identity of the applicant has been decided."))
                return _back(project, application)
        else:
            messages.error(request, _("Choose the record to link to."))
    return render(
        request,
        "recruitment/backoffice/identity.html",
        {
            "project": project,
            "application": application,
            "candidates": [(c, _comparison(own, c, fields)) for c in candidates],
            "same_in_project": applicant_identity.same_identifier_in_project(
                application
            ).select_related("person", "institution"),
            "can": _can(request.project_roles),
        },
    )
