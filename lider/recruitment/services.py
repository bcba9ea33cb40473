"""Recruitment's writes: applying, deciding, the reserve list, withdrawing, consents, rules.

Beside it: `identity` (is the applicant a known record), `mail` (what the applicant is told),
`bulk_import` (a spreadsheet of applications). People are written by `lider.people.services`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.people import paths
from lider.people import services as people
from lider.people.models import Institution, Participant, Person, Restriction
from lider.people.restrictions import refuse_if_restricted
from lider.projects import invitations
from lider.recruitment import identity, mail, rules, totals
from lider.recruitment.models import Application, Consent, ConsentText, InformationClause

Status = Application.Status


def required_consent_texts(project) -> list[ConsentText]:
    """The current wording of each consent the project asks for."""
    return list(project.consent_texts.filter(is_current=True).order_by("purpose"))


def current_information_clause(project) -> InformationClause | None:
    """The version of the project's information clause (art. 13) the form shows now."""
    return project.information_clauses.filter(is_current=True).first()


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
    attaches to, overwrites or reveals a record already known by the same PESEL (or NIP, or
    for a person without a PESEL the same number of another identity document).
    When one is, the application is marked "to check" and the office decides whether they are
    the same (`link_applicant`) or not (`keep_separate`). The answer to the applicant is the
    same either way.
    """
    submitted_at = submitted_at or timezone.now()
    subject = person or institution
    kind = identity.kind_of(subject)
    identity_field = identity.IDENTIFIER[kind]
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
    if identity.must_check(project, subject, identity_field=identity_field, value=value):
        application.identity = Application.Identity.TO_CHECK
    rules.check(application)
    try:
        with totals.kept(application):
            application.save()
    except IntegrityError:
        # The same identifier was recorded in the project by a request running at the same
        # time (a double submit): this one waits for the office's check like any other.
        if application.identity == Application.Identity.TO_CHECK:
            raise
        application.pk = None
        application.identity = Application.Identity.TO_CHECK
        with totals.kept(application):
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
        transaction.on_commit(lambda: mail.send_confirmation(application.pk))
    return application


def reserve_position(application: Application) -> int | None:
    """The place on the reserve list from which free places are offered (1 = next)."""
    waiting = Application.objects.filter(project_id=application.project_id, is_eligible=True)
    order = list(waiting.reserve_list().values_list("pk", flat=True))
    return order.index(application.pk) + 1 if application.pk in order else None


@transaction.atomic
def recheck_project(project, *, actor) -> int:
    """Check every open application again (after the rules or criteria changed)."""
    ctx = rules.context_for(project)
    changed = []
    # Locked as read (of: the applications only), so the kept counts move from what is stored.
    applications = (
        Application.objects.filter(project=project)
        .select_related("person__gmina__parent", "institution__gmina__parent", "target_group")
        .select_for_update(of=("self",))
    )
    moved = []
    for application in applications:
        before = (application.is_eligible, application.eligibility, application.score)
        was = (application.status, application.is_eligible, application.identity)
        rules.check(application, ctx)
        if before != (application.is_eligible, application.eligibility, application.score):
            changed.append(application)
            moved.append((was, (application.status, application.is_eligible, application.identity)))
    Application.objects.bulk_update(changed, ["is_eligible", "eligibility", "score"])
    totals.changed(project.pk, moved)
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
    with totals.kept(application):
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
    transaction.on_commit(lambda: mail.send_decision(pk, decision, position))


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
        transaction.on_commit(lambda: mail.send_offer(first.pk))
    return first


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
    application = consent.application
    if consent.purpose == ConsentText.Purpose.PROCESSING and application.person_id:
        # Participation rests on this consent: the person's side ends with it.
        people.stop_processing(
            application.person,
            project_id=application.project_id,
            actor=actor,
            on=timezone.localdate(consent.withdrawn_at),
            note=_("Consent to processing withdrawn."),
        )
    return consent


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
