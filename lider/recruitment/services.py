"""Every write of recruitment: applying, checking, deciding, withdrawing, consents."""

import datetime
from operator import attrgetter

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.links import absolute_url
from lider.people.importing import PersonRow
from lider.people.models import Institution, Participant, Person
from lider.recruitment import bulk, rules
from lider.recruitment.models import Application, Consent, ConsentText

Status = Application.Status


def required_consent_texts(project) -> list[ConsentText]:
    """The current wording of each consent the project asks for."""
    return list(project.consent_texts.filter(is_current=True).order_by("purpose"))


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


def already_applied(project, *, pesel: str = "", nip: str = "") -> bool:
    applications = Application.objects.filter(project=project)
    if pesel:
        return applications.filter(person__pesel=pesel).exists()
    if nip:
        return applications.filter(institution__nip=nip).exists()
    return False


@transaction.atomic
def submit_application(
    project,
    *,
    person: Person | None = None,
    institution: Institution | None = None,
    target_group=None,
    consent_texts: list[ConsentText],
    source: str = Application.Source.ONLINE,
    submitted_at: datetime.datetime | None = None,
    language: str = "pl",
    actor=None,
) -> Application:
    """Record an application with its consents, check it and send the confirmation e-mail.

    A person known by PESEL (or an institution by NIP) from another project is the same one:
    the existing record is linked and not overwritten by what an anonymous form says.
    """
    submitted_at = submitted_at or timezone.now()
    person = _existing_or_new(person, actor=actor) if person is not None else None
    institution = _existing_or_new(institution, actor=actor) if institution is not None else None
    subject = person or institution
    if Application.objects.filter(project=project, person=person, institution=institution).exists():
        raise ValidationError(
            _("This applicant has already applied to this project."), code="duplicate"
        )
    application = Application(
        project=project,
        person=person,
        institution=institution,
        target_group=target_group,
        source=source,
        submitted_at=submitted_at,
        language=language,
    )
    check(application)
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
    if subject.email:
        transaction.on_commit(lambda: send_confirmation(application.pk))
    return application


def _existing_or_new(obj, *, actor):
    if isinstance(obj, Person) and obj.pesel:
        existing = Person.objects.filter(pesel=obj.pesel).first()
    elif isinstance(obj, Institution) and obj.nip:
        existing = Institution.objects.filter(nip=obj.nip).first()
    else:
        existing = None
    if existing is not None:
        return existing
    obj.save()
    audit.created(obj, actor=actor)
    return obj


def send_confirmation(application_id: int) -> None:
    """The confirmation e-mail, in the language the applicant used."""
    application = Application.objects.select_related("project", "person", "institution").get(
        pk=application_id
    )
    subject = application.applicant
    with translation.override(application.language):
        context = {"application": application, "project": application.project}
        send_mail(
            _("Your application to the project %(title)s") % {"title": application.project.title},
            render_to_string("recruitment/email/confirmation.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [subject.email],
        )


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
    if decision == Status.ACCEPTED and not application.is_eligible:
        raise ValidationError(
            _("An applicant who does not meet the eligibility rules cannot be accepted."),
            code="ineligible",
        )
    _change_status(application, decision, actor=actor, reason=reason.strip())
    if decision == Status.ACCEPTED:
        _make_participant(application, actor=actor)
    return application


def _make_participant(application: Application, *, actor) -> Participant:
    participant, created = Participant.objects.get_or_create(
        project_id=application.project_id,
        person=application.person,
        institution=application.institution,
    )
    if created:
        audit.created(participant, actor=actor)
    application.participant = participant
    application.save(update_fields=["participant"])
    return participant


@transaction.atomic
def withdraw(
    application: Application, *, actor, reason: str = "", on: datetime.date | None = None
) -> Application | None:
    """An accepted participant leaves (or an offer is declined): the place goes to the first
    on the reserve list, who gets the status "offered". Returns that application, if any."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    was_accepted = application.status == Status.ACCEPTED
    _change_status(application, Status.WITHDRAWN, actor=actor, reason=reason)
    if was_accepted and application.participant_id:
        participant = application.participant
        with audit.tracking(participant, actor=actor):
            participant.end_date = on or timezone.localdate()
            participant.exit_reason = Participant.ExitReason.RESIGNATION
            participant.completed_as_planned = False
            participant.save(update_fields=["end_date", "exit_reason", "completed_as_planned"])
    return offer_place(application.project, actor=actor)


def offer_place(project, *, actor) -> Application | None:
    """Offer a free place to the first on the reserve list (by points, then by date)."""
    first = (
        Application.objects.filter(project=project, is_eligible=True)
        .reserve_list()
        .select_for_update()
        .first()
    )
    if first is None:
        return None
    _change_status(first, Status.OFFERED, actor=actor, reason=_("A place became free."))
    if first.applicant.email:
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
    application = Application.objects.select_related("project", "person", "institution").get(
        pk=application_id
    )
    with translation.override(application.language):
        path = reverse(
            "recruitment_public:confirm",
            kwargs={"slug": application.project.slug, "token": offer_token(application)},
        )
        context = {
            "application": application,
            "project": application.project,
            "link": absolute_url(path),
        }
        send_mail(
            _("A place for you in the project %(title)s") % {"title": application.project.title},
            render_to_string("recruitment/email/offer.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [application.applicant.email],
        )


@transaction.atomic
def confirm_offer(application: Application, *, actor) -> Application:
    """The offered person (or the office for them) takes the place: they become a participant."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.OFFERED:
        raise ValidationError(_("This application has no place offered."), code="status")
    _change_status(application, Status.ACCEPTED, actor=actor, reason=_("The offered place taken."))
    _make_participant(application, actor=actor)
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


def _chunks(values: list) -> list[list]:
    """`values` in lists short enough for one query's parameters."""
    size = connections[DEFAULT_DB_ALIAS].features.max_query_params or len(values) or 1
    return [values[start : start + size] for start in range(0, len(values), size)]


def _by_pesel(pesels: list[str]) -> dict[str, Person]:
    known = {}
    for chunk in _chunks(pesels):
        # "Not empty", as the unique index on PESEL says, or the index is not used.
        people = (
            Person.objects.filter(pesel__in=chunk)
            .exclude(pesel="")
            .select_related("gmina__parent")
            .order_by()
        )
        known.update((p.pesel, p) for p in people)
    return known


# The columns an import writes, in the order its rows give them (the others are auto_now).
PERSON_COLUMNS = (
    "first_name", "last_name", "pesel", "other_document_type", "other_document_number",
    "birth_date", "sex", "street", "house_number", "flat_number", "postal_code", "city",
    "gmina_id", "phone", "email", "education", "labour_status", "labour_detail",
    "cares_for_dependants", "disability", "minority_or_migrant", "homeless",
    "other_disadvantage", "user_id",
)  # fmt: skip
APPLICATION_COLUMNS = (
    "project_id", "person_id", "institution_id", "target_group_id", "status", "source",
    "submitted_at", "language", "is_eligible", "eligibility", "score", "decision_reason",
    "decided_at", "decided_by_id", "participant_id",
)  # fmt: skip
CONSENT_COLUMNS = (
    "application_id", "text_id", "purpose", "given_at", "source", "withdrawn_at",
)  # fmt: skip


@transaction.atomic
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
    known = _by_pesel([p.pesel for p in people if p.pesel])
    new = [p for p in people if p.pesel and p.pesel not in known]
    read_person = attrgetter(*PERSON_COLUMNS)
    bulk.insert_values(Person, PERSON_COLUMNS, [read_person(p) for p in new])
    ids = {}
    for chunk in _chunks([p.pesel for p in new]):
        saved = Person.objects.filter(pesel__in=chunk).exclude(pesel="").order_by()
        ids.update(saved.values_list("pesel", "pk"))
    for person in new:
        person.pk = ids[person.pesel]
    # No key to read these back by: the ORM gives them ids (they are few, if any).
    without_pesel = [
        Person(
            gmina=p.gmina,
            **{name: getattr(p, name) for name in PERSON_COLUMNS if name != "gmina_id"},
        )
        for p in people
        if not p.pesel
    ]
    Person.objects.bulk_create(without_pesel)
    others = iter(without_pesel)
    subjects = [known.get(p.pesel, p) if p.pesel else next(others) for p in people]
    ctx = rules.context_for(project)
    on = timezone.localdate(submitted_at)
    status, source = Application.Status.SUBMITTED, Application.Source.IMPORT
    language = translation.get_language() or settings.LANGUAGE_CODE
    group_id = target_group.pk if target_group else None
    rows = []
    for person in subjects:  # as `check` does, without an Application to fill
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
            new=len(new) + len(without_pesel),
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
