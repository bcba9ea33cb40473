"""The public application form of a project: a person or an institution applies."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation

from lider.core import throttle
from lider.people.forms import InstitutionForm, PersonForm
from lider.projects.models import Project
from lider.recruitment import clauses, mail, rules, services
from lider.recruitment.forms import INSTITUTION_FIELDSETS, PERSON_FIELDSETS, ApplicationForm
from lider.recruitment.models import Application
from lider.territory.queries import gminas_in

# At most this many applications from one network address within the window.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 60 * 60

FIELD_OF_RULE = {"area": "gmina", "min_age": "pesel", "target_group": "target_group"}


def apply_person(request, slug):
    return _apply(request, slug, kind="person")


def apply_institution(request, slug):
    return _apply(request, slug, kind="institution")


def application_sent(request, slug):
    project = get_object_or_404(Project.objects.public(), slug=slug)
    return render(request, "recruitment/public/sent.html", {"project": project})


def _apply(request, slug, *, kind):
    project = get_object_or_404(Project.objects.public(), slug=slug)
    if not project.accepts_applications:
        # A closed or archived project: a polite page, and a POST changes nothing.
        return render(request, "recruitment/public/closed.html", {"project": project})
    gminas = gminas_in(project.counties.all())
    texts = services.required_consent_texts(project)
    clause = clauses.shown_clause(project)
    data = request.POST if request.method == "POST" else None
    subject_form = (PersonForm if kind == "person" else InstitutionForm)(
        data, gminas=gminas, prefix="s"
    )
    form = ApplicationForm(data, project=project, consent_texts=texts, prefix="a")
    limited = False
    if request.method == "POST":
        # Every submission counts, valid or not: trying identifiers is limited too.
        limited = _limit_reached(request)
        _count(request)
        if form.is_robot and not limited:
            # Answer as if it worked: a robot learns nothing.
            return redirect("recruitment_public:sent", slug=project.slug)
        if not limited and subject_form.is_valid() & form.is_valid():
            application = submit_forms(project, subject_form, form, kind=kind)
            if application is not None:
                return redirect("recruitment_public:sent", slug=project.slug)
    fieldsets = PERSON_FIELDSETS if kind == "person" else INSTITUTION_FIELDSETS
    return render(
        request,
        "recruitment/public/apply.html",
        {
            "project": project,
            "kind": kind,
            "form": form,
            "subject_form": subject_form,
            "fieldsets": [
                (legend, [subject_form[n] for n in names]) for legend, names in fieldsets
            ],
            "limited": limited,
            "clause": clause,
        },
        status=429 if limited else 200,
    )


def _rate_key(request) -> str:
    return f"recruitment:apply:{request.META.get('REMOTE_ADDR', '')}"


def _limit_reached(request) -> bool:
    return cache.get(_rate_key(request), 0) >= RATE_LIMIT


def _count(request) -> None:
    throttle.count(_rate_key(request), RATE_WINDOW_SECONDS)


def submit_forms(project, subject_form, form, *, kind, source="online", actor=None):
    """Refuse with the rules' own explanations, or a duplicate; else record the application.

    Shared by the public form and the office entering a paper form. Nothing in the answer
    depends on records already known: only on what was submitted and the project's rules."""
    subject = subject_form.instance
    target_group = form.cleaned_data["target_group"]
    refused = rules.refusals(
        project, target_group=target_group, on=timezone.localdate(), **{kind: subject}
    )
    for result in refused:
        field = FIELD_OF_RULE[result["kind"]]
        if field == "pesel" and not subject.pesel:
            field = "birth_date"
        target = form if field == "target_group" else subject_form
        target.add_error(field, ValidationError(rules.explain(result), code=result["code"]))
    # Whether the PESEL (or NIP) is known is never answered here: the application is
    # recorded either way and the office sees the match (see Application's docstring).
    if subject_form.errors or form.errors:
        return None
    try:
        return services.submit_application(
            project,
            target_group=target_group,
            consent_texts=form.consent_texts,
            information_clause=clauses.clause_to_record(project),
            source=source,
            language=translation.get_language(),
            actor=actor,
            **{kind: subject},
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


def confirm_place(request, slug, token):
    """The applicant takes the place offered to them (a link from the offer e-mail)."""
    application = mail.application_for_token(token)
    if application is None or application.project.slug != slug:
        raise Http404
    project = application.project
    confirmed = False
    if request.method == "POST" and application.status == Application.Status.OFFERED:
        try:
            services.confirm_offer(application, actor=None)
        except ValidationError:
            pass  # taken meanwhile (a double click): the page shows the status as it is
        else:
            confirmed = True
        application.refresh_from_db()
    return render(
        request,
        "recruitment/public/confirm.html",
        {"project": project, "application": application, "confirmed": confirmed},
    )
