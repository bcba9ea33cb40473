"""Importing applications from a checked spreadsheet: the people through `lider.people.imports`,
the applications and consents as raw rows through `lider.core.bulk`."""

import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from lider.core import audit, bulk, table_reader
from lider.people import imports as people_imports
from lider.people.importing import PersonRow
from lider.people.models import Participant, Person
from lider.recruitment import rules, totals
from lider.recruitment.models import Application, Consent
from lider.recruitment.services import current_information_clause, required_consent_texts


def taken_pesels(project) -> set[str]:
    """PESELs that already applied to or take part in the project (one query, read from the
    project's own applications and participants, not from the whole register of people)."""
    applied = Application.objects.filter(project=project, person__isnull=False)
    taking = Participant.objects.filter(project=project, person__isnull=False)
    pesels = (
        applied.order_by()
        .values_list("person__pesel", flat=True)
        .union(taking.order_by().values_list("person__pesel", flat=True))
    )
    return set(pesels) - {""}


# The columns an import writes, in the order its rows give them.
APPLICATION_COLUMNS = (
    "project_id", "person_id", "institution_id", "target_group_id", "status", "source",
    "submitted_at", "language", "is_eligible", "eligibility", "score", "decision_reason",
    "decided_at", "decided_by_id", "participant_id", "pesel", "nip", "email", "identity",
    "information_clause_id", "account_invitation_id",
)  # fmt: skip


# Where the kept counts' key (recruitment.totals.KEY) stands in a row of APPLICATION_COLUMNS.
KEPT_COLUMNS = [APPLICATION_COLUMNS.index(name) for name in totals.KEY]

CONSENT_COLUMNS = (
    "application_id", "text_id", "purpose", "given_at", "source", "withdrawn_at",
)  # fmt: skip


@transaction.atomic
@table_reader.collection_paused()
def import_applications(
    project,
    *,
    people: list[PersonRow],
    actor,
    consents_signed: bool,
    target_group=None,
    filename: str = "",
    submitted_at: datetime.datetime | None = None,
) -> int:
    """Create the checked people (reusing those known by PESEL) and their applications, all
    or nothing, with a handful of queries whatever the number of rows."""
    writer = ApplicationWriter(
        project,
        actor=actor,
        consents_signed=consents_signed,
        target_group=target_group,
        filename=filename,
        submitted_at=submitted_at,
    )
    writer.write(people)
    return writer.finish()


class ApplicationWriter:
    """Writes the applications of one imported file batch by batch (call it inside one
    transaction: the file is imported whole or not at all), then the file's audit entry.

    Rows go to the database as plain tuples: building 10,000 model instances (people,
    applications, consents) would cost more than checking the whole file.
    """

    def __init__(
        self,
        project,
        *,
        actor,
        consents_signed: bool,
        target_group=None,
        filename: str = "",
        submitted_at: datetime.datetime | None = None,
    ):
        self.project, self.actor, self.filename = project, actor, filename
        self.submitted_at = submitted_at or timezone.now()
        self.target_group = target_group
        self.ctx = rules.context_for(project)
        self.on = timezone.localdate(self.submitted_at)
        self.language = translation.get_language() or settings.LANGUAGE_CODE
        # Signed paper forms carried the clause of the time; otherwise none is known shown.
        clause = current_information_clause(project) if consents_signed else None
        self.clause_id = clause.pk if clause else None
        self.texts = (
            [(t.pk, t.purpose) for t in required_consent_texts(project)] if consents_signed else []
        )
        self.consents_signed = consents_signed
        self.count = self.created = 0

    def write(self, people: list[PersonRow], held=None) -> int:
        """Create a batch's people (reusing those known by PESEL) and their applications;
        `held`: what the check looked up for them (`lider.people.matching.Held`), if it did."""
        if not people:
            return 0
        project, submitted_at, target_group = self.project, self.submitted_at, self.target_group
        subjects, is_known, created = people_imports.save_rows(people, held)
        # The office imports the file: a row whose PESEL (or document) is known is linked to
        # that record, as confirmed in the preview.
        linked, new_record = Application.Identity.LINKED, Application.Identity.NEW
        ctx, on, clause_id = self.ctx, self.on, self.clause_id
        status, source = Application.Status.SUBMITTED, Application.Source.IMPORT
        group_id = target_group.pk if target_group else None
        rows = []
        for row, person, known in zip(
            people, subjects, is_known, strict=True
        ):  # as `check`, without an Application
            eligibility = rules.evaluate(ctx, person=person, target_group=target_group, on=on)
            rows.append(
                (
                    project.pk,
                    person.pk,
                    None,
                    group_id,
                    status,
                    source,
                    submitted_at,
                    self.language,
                    rules.is_eligible(eligibility),
                    eligibility,
                    rules.score(ctx, person=person, on=on),
                    "",
                    None,
                    None,
                    None,
                    row.pesel,
                    "",
                    row.email,
                    linked if known else new_record,
                    clause_id,
                    None,
                )  # fmt: skip
            )
        after = self._last_application_id() if self.texts else 0
        bulk.insert_values(Application, APPLICATION_COLUMNS, rows)
        totals.added(project.pk, [[row[i] for i in KEPT_COLUMNS] for row in rows])
        if self.texts:
            ids = self._application_ids(after, [person.pk for person in subjects])
            given = Consent.Source.IMPORT
            bulk.insert_values(
                Consent,
                CONSENT_COLUMNS,
                [
                    (ids[person.pk], text, purpose, submitted_at, given, None)
                    for person in subjects
                    for text, purpose in self.texts
                ],
            )
        # Each new person's own history names the file that created them (a linked one gets
        # its entry where the office confirms the link).
        audit.recorded_each(
            Person,
            [
                (s.pk, f"{s.first_name} {s.last_name}")  # Person.__str__, for rows not models
                for s, known in zip(subjects, is_known, strict=True)
                if not known
            ],
            audit.Action.CREATE,
            actor=self.actor,
            note=audit.Note(
                gettext_lazy(
                    "Created by the import of %(file)s (consents recorded: %(consents)s)."
                ),
                file=self.filename,
                consents=len(self.texts),
            ),
            project_id=project.pk,
        )
        self.count += len(rows)
        self.created += created
        return len(rows)

    def _last_application_id(self) -> int:
        last = Application.objects.order_by("-pk").values_list("pk", flat=True).first()
        return last or 0

    def _application_ids(self, after: int, person_ids: list[int]) -> dict[int, int]:
        """{person id: application id} of the batch just written (the project's imported
        applications of this file made after id `after`: one raw query, no `in` list)."""
        db = connections[DEFAULT_DB_ALIAS]
        table = db.ops.quote_name(Application._meta.db_table)
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT person_id, id FROM {table} WHERE project_id = %s AND source = %s "
                "AND submitted_at = %s AND id > %s",
                [
                    self.project.pk,
                    Application.Source.IMPORT,
                    db.ops.adapt_datetimefield_value(self.submitted_at),
                    after,
                ],
            )
            ids = dict(cursor.fetchall())
        if not set(person_ids) <= ids.keys():
            raise IntegrityError("The applications just written were not read back.")
        return ids

    def finish(self) -> int:
        """Record the file's import on the project; how many applications it made."""
        audit.record(
            self.actor,
            audit.Action.CREATE,
            self.project,
            note=audit.Note(
                gettext_lazy("Imported %(count)s applications from %(file)s (%(new)s new people)."),
                count=self.count,
                file=self.filename,
                new=self.created,
            ),
        )
        return self.count
