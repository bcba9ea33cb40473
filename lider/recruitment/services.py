"""Every write of recruitment: applying, checking, deciding, withdrawing, consents."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit, bulk, table_reader
from lider.core.links import absolute_url
from lider.people import imports as people_imports
from lider.people import paths
from lider.people import services as people
from lider.people.importing import PersonRow
from lider.people.models import Institution, Participant, Person, Restriction
from lider.people.restrictions import is_restricted, refuse_if_restricted
from lider.projects import invitations
from lider.recruitment import rules
from lider.recruitment.models import Application, Consent, ConsentText, InformationClause

Status = Application.Status


def required_consent_texts(project) -> list[ConsentText]:
    """The current wording of each consent the project asks for."""
    return list(project.consent_texts.filter(is_current=True).order_by("purpose"))


def current_information_clause(project) -> InformationClause | None:
    """The version of the project's information clause (art. 13) the form shows now."""
    return project.information_clauses.filter(is_current=True).first()


def check(application: Application, ctx: rules.Context | None = None, *, on=None) -> Application:
    """Fill the eligibility verdicts and the score (not saved)."""
    ctx = ctx or rules.context_for(application.project)
    on = on or timezone.localdate(application.submitted_at)
    applicant = {"person": application.person, "institution": application.institution}
    application.eligibility = rules.evaluate(
        ctx, target_group=application.target_group, on=on, **applicant
    )
    application.is_eligible = rules.is_eligible(application.eligibility)
    application.score = rules.score(ctx, on=on, **applicant)
    return application


def refusals(project, *, person=None, institution=None, target_group=None, on) -> list[dict]:
    """The failed verdicts for a would-be applicant (the public form refuses on any)."""
    ctx = rules.context_for(project)
    results = rules.evaluate(
        ctx, person=person, institution=institution, target_group=target_group, on=on
    )
    return [r for r in results if not r["passed"]]


IDENTIFIER = {"person": "pesel", "institution": "nip"}


def _kind(subject) -> str:
    return "person" if isinstance(subject, Person) else "institution"


def _must_check(project, subject, *, identity_field: str, value: str) -> bool:
    """Whether another record, or another application to the project, has this identifier."""
    if not value:
        return False
    others = type(subject).objects.filter(**{identity_field: value}).exclude(pk=subject.pk)
    applied = Application.objects.filter(project=project, **{identity_field: value})
    return others.exists() or applied.exists()


@transaction.atomic
def submit_application(
    project,
    *,
    person: Person | None = None,
    institution: Institution | None = None,
    target_group=None,
    consent_texts: list[ConsentText],
    information_clause: InformationClause | None = None,
    source: str = Application.Source.ONLINE,
    submitted_at: datetime.datetime | None = None,
    language: str = "pl",
    actor=None,
) -> Application:
    """Record an application with its consents, check it and send the confirmation e-mail.

    The applicant's data is saved as submitted, as the application's own record: it never
    attaches to, overwrites or reveals a record already known by the same PESEL (or NIP).
    When one is, the application is marked "to check" and the office decides whether they are
    the same (`link_applicant`) or not (`keep_separate`). The answer to the applicant is the
    same either way.
    """
    submitted_at = submitted_at or timezone.now()
    subject = person or institution
    kind = _kind(subject)
    identity_field = IDENTIFIER[kind]
    if subject.pk is None:
        people.create_subject(subject, actor=actor)
    value = getattr(subject, identity_field)
    application = Application(
        project=project,
        person=person,
        institution=institution,
        target_group=target_group,
        source=source,
        submitted_at=submitted_at,
        language=language,
        email=subject.email,
        information_clause=information_clause,
        **{identity_field: value},
    )
    if _must_check(project, subject, identity_field=identity_field, value=value):
        application.identity = Application.Identity.TO_CHECK
    check(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # The same identifier was recorded in the project by a request running at the same
        # time (a double submit): this one waits for the office's check like any other.
        if application.identity == Application.Identity.TO_CHECK:
            raise
        application.pk = None
        application.identity = Application.Identity.TO_CHECK
        application.save()
    consent_source = {
        Application.Source.ONLINE: Consent.Source.ONLINE,
        Application.Source.PAPER: Consent.Source.PAPER,
        Application.Source.IMPORT: Consent.Source.IMPORT,
    }[source]
    Consent.objects.bulk_create(
        [
            Consent(
                application=application,
                text=text,
                purpose=text.purpose,
                given_at=submitted_at,
                source=consent_source,
            )
            for text in consent_texts
        ]
    )
    audit.created(application, actor=actor, note=Application.Source(application.source).label)
    if application.email:
        transaction.on_commit(lambda: send_confirmation(application.pk))
    return application


def identity_candidates(application: Application) -> list:
    """Other records with the identifier the application came with (for the office's check)."""
    subject = application.applicant
    kind = _kind(subject)
    value = application.identifier
    if not value:
        return []
    model = type(subject)
    return list(
        model.objects.filter(**{IDENTIFIER[kind]: value})
        .exclude(pk=subject.pk)
        .select_related("gmina__parent")
        .order_by("pk")
    )


def same_identifier_in_project(application: Application):
    """The project's other applications with the same identifier."""
    if not application.identifier:
        return Application.objects.none()
    field = "pesel" if application.pesel else "nip"
    return Application.objects.filter(
        project_id=application.project_id, **{field: application.identifier}
    ).exclude(pk=application.pk)


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
    kind = _kind(own)
    if (
        not isinstance(to, type(own))
        or to.pk == own.pk
        or (getattr(to, IDENTIFIER[kind]) != application.identifier)
    ):
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
    check(application)
    try:
        with transaction.atomic():
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
        with transaction.atomic():
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


def _send(application: Application, subject: str, template: str, **extra) -> None:
    """A message about an application, to the address it was submitted with, in its language."""
    if is_restricted(application.person_id):
        return  # restricted (art. 18): no e-mails
    context = {"application": application, "project": application.project, **extra}
    send_mail(
        subject % {"title": application.project.title},
        render_to_string(template, context),
        settings.DEFAULT_FROM_EMAIL,
        [application.email],
    )


def _for_mail(application_id: int) -> Application:
    return Application.objects.select_related("project", "person", "institution").get(
        pk=application_id
    )


def send_confirmation(application_id: int) -> None:
    """The confirmation e-mail, in the language the applicant used."""
    application = _for_mail(application_id)
    with translation.override(application.language):
        _send(
            application,
            _("Your application to the project %(title)s"),
            "recruitment/email/confirmation.txt",
        )


def reserve_position(application: Application) -> int | None:
    """The place on the reserve list from which free places are offered (1 = next)."""
    waiting = Application.objects.filter(project_id=application.project_id, is_eligible=True)
    order = list(waiting.reserve_list().values_list("pk", flat=True))
    return order.index(application.pk) + 1 if application.pk in order else None


def send_decision(application_id: int, decision: str, position: int | None = None) -> None:
    """Tell the applicant a decision (accepted; on the reserve list, at `position`; rejected,
    with the reason), in the language of the application."""
    application = _for_mail(application_id)
    with translation.override(application.language):
        if decision == Status.ACCEPTED:
            subject = _("Your application to the project %(title)s has been accepted")
            template = "recruitment/email/accepted.txt"
        elif decision == Status.RESERVE:
            subject = _("Your application to the project %(title)s: the reserve list")
            template = "recruitment/email/reserve.txt"
        else:
            subject = _("Your application to the project %(title)s has not been accepted")
            template = "recruitment/email/rejected.txt"
        _send(application, subject, template, position=position)


@transaction.atomic
def recheck_project(project, *, actor) -> int:
    """Check every open application again (after the rules or criteria changed)."""
    ctx = rules.context_for(project)
    changed = []
    applications = Application.objects.filter(project=project).select_related(
        "person__gmina__parent", "institution__gmina__parent", "target_group"
    )
    for application in applications:
        before = (application.is_eligible, application.eligibility, application.score)
        check(application, ctx)
        if before != (application.is_eligible, application.eligibility, application.score):
            changed.append(application)
    Application.objects.bulk_update(changed, ["is_eligible", "eligibility", "score"])
    audit.record(
        actor,
        audit.Action.UPDATE,
        project,
        note=audit.Note(
            gettext_lazy("Applications checked again: %(count)s changed."), count=len(changed)
        ),
    )
    return len(changed)


ALLOWED = {
    Status.SUBMITTED: {Status.ACCEPTED, Status.RESERVE, Status.REJECTED},
    Status.RESERVE: {Status.ACCEPTED, Status.OFFERED, Status.REJECTED},
    Status.OFFERED: {Status.ACCEPTED, Status.WITHDRAWN},
    Status.REJECTED: {Status.RESERVE, Status.ACCEPTED},
    Status.ACCEPTED: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}


def _change_status(application, new, *, actor, reason="", at=None) -> Application:
    old = application.status
    if new not in ALLOWED[old]:
        raise ValidationError(
            _("An application with the status “%(old)s” cannot become “%(new)s”.")
            % {"old": Status(old).label, "new": Status(new).label},
            code="status",
        )
    application.status = new
    application.decision_reason = reason
    application.decided_at = at or timezone.now()
    application.decided_by = actor
    application.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
    audit.status_changed(
        application,
        actor=actor,
        old=old,
        new=new,
        note=reason,
    )
    return application


@transaction.atomic
def decide(application: Application, *, actor, decision: str, reason: str = "") -> Application:
    """Accept, put on the reserve list, or reject (a rejection needs its reason)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if decision not in {Status.ACCEPTED, Status.RESERVE, Status.REJECTED}:
        raise ValidationError(_("Unknown decision."), code="decision")
    if decision == Status.REJECTED and not reason.strip():
        raise ValidationError(_("Give the reason of the rejection."), code="reason")
    if decision == Status.ACCEPTED:
        refuse_if_restricted(application.person_id)
    if decision == Status.ACCEPTED and not application.is_eligible:
        raise ValidationError(
            _("An applicant who does not meet the eligibility rules cannot be accepted."),
            code="ineligible",
        )
    if decision == Status.ACCEPTED and application.identity == Application.Identity.TO_CHECK:
        raise ValidationError(
            _(
                "Another record has the same identifier as this applicant: decide first whether "
                "they are the same (link) or not (keep separate)."
            ),
            code="identity",
        )
    _change_status(application, decision, actor=actor, reason=reason.strip())
    if decision == Status.ACCEPTED:
        _make_participant(application, actor=actor)
    _notify(application)
    if decision == Status.ACCEPTED:
        _invite_to_account(application, actor=actor)  # mailed after the decision
    return application


def _notify(application: Application) -> None:
    """E-mail the decision just made, once it is committed (the place on the reserve list is
    the one it has now)."""
    if not application.email:
        return
    pk, decision = application.pk, application.status
    position = reserve_position(application) if decision == Status.RESERVE else None
    transaction.on_commit(lambda: send_decision(pk, decision, position))


def _make_participant(application: Application, *, actor) -> Participant:
    participant = people.participant_for(
        application.project_id,
        person=application.person,
        institution=application.institution,
        actor=actor,
    )
    application.participant = participant
    application.save(update_fields=["participant"])
    return participant


def _invite_to_account(application: Application, *, actor) -> None:
    """Invite an accepted person to their own account (if the project does so), at the
    application's own address and in its language; never to an address a linked record
    carries. A person whose record already has an account gets no invitation; an address an
    account already uses gets none either (the entry on the application says so)."""
    project = application.project
    if not project.invite_participants or application.person_id is None or not application.email:
        return
    if application.account_invitation_id is not None or application.person.user_id is not None:
        return
    invitation = invitations.invite_participant(
        project,
        actor=actor,
        email=application.email,
        first_name=application.person.first_name,
        last_name=application.person.last_name,
        language=application.language,
    )
    if invitation is None:
        audit.record(
            actor,
            audit.Action.UPDATE,
            application,
            note=gettext_lazy(
                "No invitation to the participant's account was sent: an account or an open "
                "invitation already uses the application's e-mail address."
            ),
        )
        return
    application.account_invitation = invitation
    application.save(update_fields=["account_invitation"])


def link_account(invitation, user) -> None:
    """An accepted participant's invitation: the new account becomes the person's own (the
    person of the application the invitation was sent for). Called by `projects` inside the
    acceptance's transaction."""
    application = (
        Application.objects.select_related("person")
        .filter(account_invitation=invitation, person__isnull=False)
        .first()
    )
    if application is None:
        return
    people.link_user(application.person, user, actor=user)


@transaction.atomic
def withdraw(
    application: Application, *, actor, reason: str = "", on: datetime.date | None = None
) -> Application | None:
    """An accepted participant leaves (or an offer is declined): the place goes to the first
    on the reserve list, who gets the status "offered". Returns that application, if any."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    was_accepted = application.status == Status.ACCEPTED
    _change_status(application, Status.WITHDRAWN, actor=actor, reason=reason)
    invitation = application.account_invitation
    if invitation is not None and invitation.is_open:
        invitations.revoke(invitation, actor=actor)
    if was_accepted and application.participant_id:
        paths.record_exit(
            application.participant,
            reason=Participant.ExitReason.RESIGNATION,
            on=on or timezone.localdate(),
            actor=actor,
        )
    return offer_place(application.project, actor=actor)


def offer_place(project, *, actor) -> Application | None:
    """Offer a free place to the first on the reserve list (by points, then by date)."""
    first = (
        Application.objects.filter(project=project, is_eligible=True)
        .exclude(identity=Application.Identity.TO_CHECK)
        # A subquery, not a join: FOR UPDATE cannot lock the nullable side of an outer join.
        .exclude(person_id__in=Restriction.objects.values("person_id"))
        .reserve_list()
        .select_for_update()
        .first()
    )
    if first is None:
        return None
    _change_status(first, Status.OFFERED, actor=actor, reason=_("A place became free."))
    if first.email:
        transaction.on_commit(lambda: send_offer(first.pk))
    return first


OFFER_SALT = "lider.recruitment.offer"


def offer_token(application: Application) -> str:
    return signing.dumps(application.pk, salt=OFFER_SALT)


def application_for_token(token: str, *, max_age_days: int = 30) -> Application | None:
    try:
        pk = signing.loads(token, salt=OFFER_SALT, max_age=datetime.timedelta(days=max_age_days))
    except signing.BadSignature:
        return None
    return Application.objects.select_related("project").filter(pk=pk).first()


def send_offer(application_id: int) -> None:
    """Tell the first on the reserve list that a place is theirs if they confirm it."""
    application = _for_mail(application_id)
    with translation.override(application.language):
        path = reverse(
            "recruitment_public:confirm",
            kwargs={"slug": application.project.slug, "token": offer_token(application)},
        )
        _send(
            application,
            _("A place for you in the project %(title)s"),
            "recruitment/email/offer.txt",
            link=absolute_url(path),
        )


@transaction.atomic
def confirm_offer(application: Application, *, actor) -> Application:
    """The offered person (or the office for them) takes the place: they become a participant."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.OFFERED:
        raise ValidationError(_("This application has no place offered."), code="status")
    refuse_if_restricted(application.person_id)
    _change_status(application, Status.ACCEPTED, actor=actor, reason=_("The offered place taken."))
    _make_participant(application, actor=actor)
    _notify(application)
    _invite_to_account(application, actor=actor)
    return application


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor, at: datetime.datetime | None = None) -> Consent:
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."), code="withdrawn")
    with audit.tracking(consent, actor=actor):
        consent.withdrawn_at = at or timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    return consent


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
    or nothing, with a handful of queries whatever the number of rows.

    Rows go to the database as plain tuples: building 10,000 model instances (people,
    applications, consents) would cost more than checking the whole file.
    """
    submitted_at = submitted_at or timezone.now()
    subjects, known, created = people_imports.save_rows(people)
    # The office imports the file: a row whose PESEL is known is linked to that record.
    linked, new_record = Application.Identity.LINKED, Application.Identity.NEW
    ctx = rules.context_for(project)
    on = timezone.localdate(submitted_at)
    status, source = Application.Status.SUBMITTED, Application.Source.IMPORT
    language = translation.get_language() or settings.LANGUAGE_CODE
    group_id = target_group.pk if target_group else None
    # Signed paper forms carried the clause of the time; otherwise none is known to be shown.
    clause = current_information_clause(project) if consents_signed else None
    clause_id = clause.pk if clause else None
    rows = []
    for row, person in zip(people, subjects, strict=True):  # as `check`, without an Application
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
                language,
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
                linked if row.pesel in known else new_record,
                clause_id,
                None,
            )  # fmt: skip
        )
    bulk.insert_values(Application, APPLICATION_COLUMNS, rows)
    if consents_signed:
        ids = dict(
            Application.objects.filter(
                project=project, source=source, submitted_at=submitted_at
            ).values_list("person_id", "pk")
        )
        texts = [(t.pk, t.purpose) for t in required_consent_texts(project)]
        given = Consent.Source.IMPORT
        bulk.insert_values(
            Consent,
            CONSENT_COLUMNS,
            [
                (ids[person.pk], text, purpose, submitted_at, given, None)
                for person in subjects
                for text, purpose in texts
            ],
        )
    audit.record(
        actor,
        audit.Action.CREATE,
        project,
        note=audit.Note(
            gettext_lazy("Imported %(count)s applications from %(file)s (%(new)s new people)."),
            count=len(rows),
            file=filename,
            new=created,
        ),
    )
    return len(rows)


@transaction.atomic
def save_rules(project, *, actor, rule_formset, criterion_formset) -> int:
    """Save edited rules and criteria (each change audited), then check applications again."""
    for formset in (rule_formset, criterion_formset):
        for form in formset.deleted_forms:
            if form.instance.pk:
                audit.deleted(form.instance, actor=actor)
                form.instance.delete()
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed():
                continue
            instance = form.instance
            if instance.pk is None:
                instance.project = project
                form.save()
                audit.created(instance, actor=actor)
            else:
                with audit.tracking(instance, actor=actor):
                    form.save()
    return recheck_project(project, actor=actor)
