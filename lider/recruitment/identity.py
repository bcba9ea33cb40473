"""Whether an applicant is a record Lider already holds: the office compares, then links or keeps
the application's own record. Public input never attaches to, or reveals, a known record."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.people import matching
from lider.people import services as people
from lider.people.models import Person
from lider.people.restrictions import refuse_if_restricted
from lider.recruitment import rules, totals
from lider.recruitment.models import Application

IDENTIFIER = {"person": "pesel", "institution": "nip"}


def kind_of(subject) -> str:
    return "person" if isinstance(subject, Person) else "institution"


def document_of(subject) -> str:
    """The other identity document's number a person without a PESEL came with."""
    if not isinstance(subject, Person) or subject.pesel:
        return ""
    return subject.other_document_number.strip()


def _with_same_document(queryset, number: str, prefix: str = ""):
    queryset = queryset.filter(**{f"{prefix}pesel": ""})
    return matching.with_document(queryset, number, f"{prefix}other_document_number")


def must_check(project, subject, *, identity_field: str, value: str) -> bool:
    """Whether another record, or another application to the project, has this identifier
    (the PESEL or NIP, or for a person without a PESEL another document's number)."""
    number = document_of(subject)
    if number:
        others = matching.with_document(Person.objects.all(), number).exclude(pk=subject.pk)
        applied = _with_same_document(
            Application.objects.filter(project=project), number, "person__"
        ).exclude(person=subject)
        return others.exists() or applied.exists()
    if not value:
        return False
    others = type(subject).objects.filter(**{identity_field: value}).exclude(pk=subject.pk)
    applied = Application.objects.filter(project=project, **{identity_field: value})
    return others.exists() or applied.exists()


def is_same_identifier(record, application: Application) -> bool:
    if application.identifier:
        return getattr(record, IDENTIFIER[kind_of(record)]) == application.identifier
    number = document_of(application.applicant)
    key = matching.document_key
    return bool(number) and key(record.other_document_number) == key(number)


def identity_candidates(application: Application) -> list:
    """Other records with the identifier the application came with (for the office's check)."""
    subject = application.applicant
    model = type(subject)
    if application.identifier:
        found = model.objects.filter(**{IDENTIFIER[kind_of(subject)]: application.identifier})
    elif number := document_of(subject):
        found = matching.with_document(model.objects.all(), number)
    else:
        return []
    return list(found.exclude(pk=subject.pk).select_related("gmina__parent").order_by("pk"))


def same_identifier_in_project(application: Application):
    """The project's other applications with the same identifier."""
    applications = Application.objects.filter(project_id=application.project_id)
    if application.identifier:
        field = "pesel" if application.pesel else "nip"
        found = applications.filter(**{field: application.identifier})
    elif number := document_of(application.applicant):
        found = _with_same_document(applications, number, "person__")
    else:
        return Application.objects.none()
    return found.exclude(pk=application.pk)


def _locked_to_check(application: Application) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person", "institution", "project")
        .get(pk=application.pk)
    )
    if application.identity != Application.Identity.TO_CHECK:
        raise ValidationError(
            _("The identity of this applicant has already been decided."), code="identity"
        )
    return application


@transaction.atomic
def link_applicant(application: Application, *, actor, to, take: tuple = ()) -> Application:
    """The office finds the applicant is the known record `to`: the application moves to it,
    `to` takes over the submitted values named in `take` (and nothing else), and the
    application's own record is deleted. Audited."""
    application = _locked_to_check(application)
    if isinstance(to, Person):
        refuse_if_restricted(to.pk)
    own = application.applicant
    kind = kind_of(own)
    if not isinstance(to, type(own)) or to.pk == own.pk or not is_same_identifier(to, application):
        raise ValidationError(
            _("Link only to a record with the same identifier."), code="identifier"
        )
    if Application.objects.filter(project_id=application.project_id, **{kind: to}).exists():
        raise ValidationError(
            _(
                "That record has already applied to this project, so this is a second "
                "application: reject it instead of linking."
            ),
            code="duplicate",
        )
    people.take_over(to, own, take, actor=actor)
    old = application.identity
    setattr(application, kind, to)
    application.identity = Application.Identity.LINKED
    rules.check(application)
    try:
        with transaction.atomic(), totals.kept(application):
            application.save(
                update_fields=[kind, "identity", "is_eligible", "eligibility", "score"]
            )
    except IntegrityError as error:  # another application was linked to `to` meanwhile
        raise ValidationError(
            _(
                "That record has already applied to this project, so this is a second "
                "application: reject it instead of linking."
            ),
            code="duplicate",
        ) from error
    audit.record(
        actor,
        audit.Action.UPDATE,
        application,
        changes={"identity": [old, application.identity], kind: [str(own), str(to)]},
    )
    people.delete_submitted(
        own, actor=actor, note=gettext_lazy("Submitted with an application, now linked.")
    )
    return application


@transaction.atomic
def keep_separate(application: Application, *, actor) -> Application:
    """The office finds the applicant is not the known record: the application keeps its own.
    A PESEL (or NIP) still applies once per project. Audited."""
    application = _locked_to_check(application)
    held = same_identifier_in_project(application).exclude(identity=Application.Identity.TO_CHECK)
    if held.exists():
        raise ValidationError(
            _(
                "Another application to this project has the same identifier, which may apply "
                "only once per project: reject one of the two applications."
            ),
            code="duplicate",
        )
    old = application.identity
    application.identity = Application.Identity.SEPARATE
    try:
        with transaction.atomic(), totals.kept(application):
            application.save(update_fields=["identity"])
    except IntegrityError as error:
        raise ValidationError(
            _(
                "Another application to this project has the same identifier, which may apply "
                "only once per project: reject one of the two applications."
            ),
            code="duplicate",
        ) from error
    audit.record(
        actor,
        audit.Action.UPDATE,
        application,
        changes={"identity": [old, application.identity]},
    )
    return application
