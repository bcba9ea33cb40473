"""Every write of a person, an institution and a participant: the one place that writes them.

Each function takes the acting user explicitly (`actor`, None for a public form or a system
task) and leaves an audit entry: created, changed old → new per field, linked, restricted,
anonymised. Other apps call these; none writes Person, Institution or Participant itself
(tests/people/test_single_writer.py fails when one does). Imports go through
`lider.people.imports`, restriction through `lider.people.restrictions`, anonymisation
through `lider.people.anonymising`, the participation path through `lider.people.paths`.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.people import paths, restrictions
from lider.people.fields import INSTITUTION_FIELDS, PERSON_FIELDS, comparable_fields
from lider.people.forms import InstitutionForm, PersonForm
from lider.people.models import Institution, InstitutionMember, Participant, Person, Restriction
from lider.projects.models import ProjectState
from lider.territory.models import Unit

# A change to one of these is checked together with the others (PESEL, or another document
# with the birth date and sex it cannot give).
IDENTITY = {"pesel", "other_document_type", "other_document_number", "birth_date", "sex"}


def _gminas(gmina) -> list[Unit]:
    """The gmina the form may accept: the one given, if it is a gmina at all."""
    pk = gmina.pk if isinstance(gmina, Unit) else gmina
    if pk in (None, ""):
        return []
    # As the forms offer them (territory.queries.gminas_in): a town or rural part, not the
    # urban-rural gmina as a whole.
    units = Unit.objects.filter(pk=pk, level=Unit.Level.GMINA).select_related("parent")
    return list(units.exclude(gmina_type=Unit.GminaType.URBAN_RURAL))


def _form_value(value):
    if hasattr(value, "pk"):
        return value.pk
    return "" if value is None else value


def _validated(form_class, subject, changes: dict):
    """The subject's form bound to its current values with `changes` over them.

    Validated as the form validates (the PESEL rule, the postal code, choices, lengths, what
    is required together); an error counts only on a changed field, the identity fields taken
    together, or the whole record: a value missing from an older record (an import without an
    e-mail) does not block correcting another one.
    """
    fields = PERSON_FIELDS if form_class is PersonForm else INSTITUTION_FIELDS
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"Not a data field: {', '.join(sorted(unknown))}.")
    data = {name: _form_value(value) for name, value in model_to_dict(subject, fields).items()}
    data.update((name, _form_value(value)) for name, value in changes.items())
    form = form_class(data=data, instance=subject, gminas=_gminas(data.get("gmina")))
    form.is_valid()
    counted = set(changes) | {NON_FIELD_ERRORS}
    if counted & IDENTITY and form_class is PersonForm:
        counted |= IDENTITY
    errors = {name: errors for name, errors in form.errors.as_data().items() if name in counted}
    if errors:
        raise ValidationError(errors)
    return form


def _write(subject, form, changes: dict, *, actor, note) -> None:
    """Save the changed fields (and what the PESEL gives), one entry old → new per field."""
    names = list(changes)
    if isinstance(subject, Person) and subject.pesel:
        names += ["birth_date", "sex", "pesel"]  # normalised and derived by Person.clean()
    values = {name: getattr(form.instance, name) for name in dict.fromkeys(names)}
    fields = PERSON_FIELDS if isinstance(subject, Person) else INSTITUTION_FIELDS
    with audit.tracking(subject, actor=actor, fields=fields, note=note):
        for name, value in values.items():
            setattr(subject, name, value)
        subject.save(update_fields=[*values, *_touched(subject)])


def _touched(subject) -> list[str]:
    return ["updated_at"] if isinstance(subject, Person) else []


@transaction.atomic
def update_person(person: Person, changes: dict, *, actor, note="") -> Person:
    """Change (rectify) a person's data: `changes` maps field names to new values (a gmina as
    a Unit or its id). Validated like the person form; refused whole with a ValidationError
    keyed by field. Audited old → new per changed field with `note` (the reason, the request);
    a change to nothing records nothing. Allowed while processing is restricted (art. 18:
    rectification is what a restriction often waits for)."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    form = _validated(PersonForm, locked, changes)
    _write(locked, form, changes, actor=actor, note=note)
    locked.refresh_from_db()
    for name in PERSON_FIELDS:
        setattr(person, name, getattr(locked, name))
    person.updated_at = locked.updated_at
    return person


@transaction.atomic
def update_institution(institution: Institution, changes: dict, *, actor, note="") -> Institution:
    """Change an institution's data, validated like its form and audited like a person's."""
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    form = _validated(InstitutionForm, locked, changes)
    _write(locked, form, changes, actor=actor, note=note)
    locked.refresh_from_db()
    for name in INSTITUTION_FIELDS:
        setattr(institution, name, getattr(locked, name))
    return institution


def create_subject(subject, *, actor, note=""):
    """Save a new person or institution (validated by its form before), audited as created.

    Public input always gets a record of its own: linking it to one already known by the
    same identifier is the office's decision (`take_over`), never the form's."""
    if subject.pk is not None:
        raise ValueError("Already saved.")
    subject.save()
    audit.created(subject, actor=actor, note=note)
    return subject


TAKEN = gettext_lazy("Taken from an application.")


def take_over(to, source, names, *, actor, note=TAKEN):
    """The office found that `source` (a record submitted with an application) is the known
    record `to`: `to` takes the values of the fields named (never the identifier), audited."""
    names = [name for name in names if name in comparable_fields(source)]
    if not names:
        return to
    with audit.tracking(to, actor=actor, fields=names, note=note):
        for name in names:
            setattr(to, name, getattr(source, name))
        to.save(update_fields=[*names, *_touched(to)])
    return to


def delete_submitted(subject, *, actor, note) -> None:
    """Delete a record that came with an application and turned out to be a known one."""
    audit.deleted(subject, actor=actor, note=note)
    subject.delete()


@transaction.atomic
def link_user(person: Person, user, *, actor) -> bool:
    """The person's own login account (from an accepted invitation); an account once linked
    stays. Whether it was linked now."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        return False
    with audit.tracking(person, actor=actor, fields=["user"]):
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return True


def _once(model, *, actor, **fields):
    """The row with these values, created (and audited as created) when missing."""
    row, created = model.objects.get_or_create(**fields)
    if created:
        audit.created(row, actor=actor)
    return row


def participant_for(project_id: int, *, person=None, institution=None, actor) -> Participant:
    """The subject's participant record in the project, created (audited) when missing."""
    return _once(
        Participant, actor=actor, project_id=project_id, person=person, institution=institution
    )


@transaction.atomic
def create_people(people: list[Person], *, actor, project_id=None, note="") -> list[Person]:
    """Save new people in bulk (a loader of records the office already holds on paper), with
    one audit entry that counts them; returns them with their ids."""
    created = Person.objects.bulk_create(people)
    if created:
        audit.record(
            actor,
            audit.Action.CREATE,
            None,
            project_id=project_id,
            note=note or audit.Note(gettext_lazy("%(count)s people recorded"), count=len(created)),
        )
    return created


def add_member(institution: Institution, person: Person, relation: str, *, actor):
    """The person works for, or belongs to, the institution (recorded once)."""
    return _once(
        InstitutionMember, actor=actor, institution=institution, person=person, relation=relation
    )


@transaction.atomic
def add_participants(
    project, *, people=(), institutions=(), actor, start_date=None
) -> list[Participant]:
    """Make these people and institutions participants of the project (those not yet), in
    bulk, with one audit entry that counts them; returns the new participants."""
    taking_part = Participant.objects.filter(project=project)
    have_people = set(taking_part.values_list("person_id", flat=True))
    have_institutions = set(taking_part.values_list("institution_id", flat=True))
    new = [
        Participant(project=project, person=p, start_date=start_date)
        for p in dict.fromkeys(people)
        if p.pk not in have_people
    ] + [
        Participant(project=project, institution=i, start_date=start_date)
        for i in dict.fromkeys(institutions)
        if i.pk not in have_institutions
    ]
    new = Participant.objects.bulk_create(new)
    if new:
        audit.record(
            actor,
            audit.Action.CREATE,
            project,
            note=audit.Note(gettext_lazy("%(count)s participants added"), count=len(new)),
        )
    return new


@transaction.atomic
def stop_processing(person: Person, *, project_id: int, actor, on, note) -> None:
    """The person withdrew the consent their processing in the project rests on (art. 7(3)):
    their participation there, if still running, ends as a resignation on `on`, and processing
    is restricted, so the evidence already recorded stays while new processing, exports and
    e-mails stop. Each part audited; a person already restricted, or a participation already
    ended, is left as it is."""
    participant = (
        Participant.objects.filter(project_id=project_id, person=person, end_date__isnull=True)
        .select_for_update()
        .first()
    )
    if participant is not None:
        paths.record_exit(
            participant, reason=Participant.ExitReason.RESIGNATION, on=on, actor=actor
        )
    if not restrictions.is_restricted(person.pk):
        restrictions.restrict(
            person, kind=Restriction.Kind.RESTRICTION, reason=str(note), actor=actor
        )


INSTITUTION_DATES = ["start_date", "start_source", "end_date"]


@transaction.atomic
def set_institution_dates(participant: Participant, *, start, end, actor) -> Participant:
    """The office records when the project's support to an institution started and ended.

    Either may be None: the exports then take it from the paths of its employees who took
    part (the first start; the last end once every one has ended). The end is not before the
    start and both fall within the project's period; an archived project refuses. Refused
    whole with a ValidationError keyed by field; audited old → new (a change to nothing
    records nothing)."""
    if participant.institution_id is None:
        raise ValueError("Not an institution's participation.")
    locked = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=participant.pk)
    )
    project = locked.project
    if project.state == ProjectState.ARCHIVED:
        raise ValidationError(
            _("This project is archived: its records can no longer be changed."), code="archived"
        )
    errors = {}
    outside = _("The day must fall within the project's period (%(start)s – %(end)s).") % {
        "start": f"{project.start_date:%d.%m.%Y}",
        "end": f"{project.end_date:%d.%m.%Y}",
    }
    for name, day in (("start", start), ("end", end)):
        if day is not None and not (project.start_date <= day <= project.end_date):
            errors[name] = ValidationError(outside, code="outside")
    if start is not None and end is not None and end < start and "end" not in errors:
        errors["end"] = ValidationError(
            _("The end of support cannot come before its start."), code="end_before_start"
        )
    if errors:
        raise ValidationError(errors)
    with audit.tracking(
        locked,
        actor=actor,
        fields=INSTITUTION_DATES,
        note=gettext_lazy("dates of support to the institution recorded by the office"),
    ):
        locked.start_date, locked.end_date = start, end
        locked.start_source = Participant.StartSource.OFFICE if start else ""
        locked.save(update_fields=INSTITUTION_DATES)
    for name in INSTITUTION_DATES:
        setattr(participant, name, getattr(locked, name))
    return participant
