"""The data fields of a person and an institution, read from the models once.

Forms, imports, the comparison before linking, the import's raw columns and anonymisation
all take their field lists from here: a field added to `Person` reaches each of them (or is
named in an exclusion below, with the reason).
"""

from lider.people.models import Institution, Person


def data_fields(model, *, exclude=()) -> tuple[str, ...]:
    """The editable concrete fields of `model` (in the model's order), but `exclude`."""
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in exclude
    )


# The login account is linked to a person by an invitation, never entered as data.
PERSON_FIELDS = data_fields(Person, exclude={"user"})
INSTITUTION_FIELDS = data_fields(Institution)

# The identifiers: what a record is known by, never taken over from another record.
PERSON_IDENTIFIER = "pesel"
INSTITUTION_IDENTIFIER = "nip"


def fields_of(subject_or_model) -> tuple[str, ...]:
    model = subject_or_model if isinstance(subject_or_model, type) else type(subject_or_model)
    return PERSON_FIELDS if issubclass(model, Person) else INSTITUTION_FIELDS


def identifier_of(subject_or_model) -> str:
    model = subject_or_model if isinstance(subject_or_model, type) else type(subject_or_model)
    return PERSON_IDENTIFIER if issubclass(model, Person) else INSTITUTION_IDENTIFIER


def comparable_fields(subject) -> tuple[str, ...]:
    """What the office may take over from one record into another: all but the identifier."""
    identifier = identifier_of(subject)
    return tuple(name for name in fields_of(subject) if name != identifier)
