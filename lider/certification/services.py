"""Every write of certification: rules, test scores, issuing, revoking and bulk runs."""

import datetime
import secrets
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.certification import printing, queries, rules
from lider.certification.models import (
    BulkIssueRun,
    Certificate,
    CertificateSeries,
    CompletionRule,
    TestScore,
)
from lider.core import audit
from lider.core.models import AuditEntry
from lider.core.render_pool import DocumentError
from lider.core.signals import rows_written
from lider.delivery.models import Enrolment, Session
from lider.people.models import Sex
from lider.people.restrictions import is_restricted

# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be confused.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
DEFAULT_PATTERN = "{year}/{seq:03d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed ('k7m4 xq9p-2w') → as stored ('K7M4XQ9P2W')."""
    return "".join(ch for ch in str(text).upper() if ch not in " -\t\n")


def looks_like_code(text: str) -> bool:
    """Whether a normalised text could be a verification code (what is safe to put in a URL)."""
    return len(text) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in text)


# Rules


def save_completion_rule(task, *, actor, conditions) -> CompletionRule:
    """Create or change the task's rule; a change raises its version (certificates keep theirs)."""
    session_ids = set(Session.objects.filter(task=task).values_list("pk", flat=True))
    rules.validate(conditions, session_ids=session_ids)
    with transaction.atomic():
        rule = CompletionRule.objects.select_for_update().filter(task=task).first()
        if rule is None:
            rule = CompletionRule.objects.create(task=task, conditions=conditions, updated_by=actor)
            audit.created(rule, actor=actor)
        elif rule.conditions != conditions:
            with audit.tracking(rule, actor=actor, fields=["conditions", "version"]):
                rule.conditions = conditions
                rule.version += 1
                rule.updated_by = actor
                rule.save(update_fields=["conditions", "version", "updated_by", "updated_at"])
    return rule


def set_number_pattern(project, *, actor, pattern: str, task=None) -> CertificateSeries:
    """The number format of the project's series (or a task's own series)."""
    with transaction.atomic():
        series = _series(project, task)
        series.pattern = pattern
        series.full_clean(exclude=["project", "task"])
        with audit.tracking(series, actor=actor, fields=["pattern"]):
            series.save(update_fields=["pattern"])
    return series


def _series(project, task=None) -> CertificateSeries:
    series, _created = CertificateSeries.objects.get_or_create(
        project=project, task=task, defaults={"pattern": DEFAULT_PATTERN}
    )
    return series


def series_for(task) -> CertificateSeries:
    """The task's own series if it has one, else the project's (created on first use)."""
    own = CertificateSeries.objects.filter(task=task).first()
    return own or _series(task.project)


# Knowledge tests


def _percent(value) -> Decimal | None:
    if value in (None, ""):
        return None
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    if not Decimal(0) <= number <= Decimal(100):
        raise ValidationError(_("A result must be from 0 to 100 %."), code="range")
    return number


def save_test_scores(task, *, actor, scores: Mapping[int, tuple], note="") -> int:
    """Save pre-/post-test percentages {participant id: (pre, post)}; returns rows changed.

    All or nothing; each created or changed row is audited."""
    allowed = set(
        Enrolment.objects.filter(task=task, status__in=queries.EVALUATED).values_list(
            "participant_id", flat=True
        )
    )
    cleaned = {}
    for participant_id, (pre, post) in scores.items():
        if participant_id not in allowed:
            raise ValidationError(_("This person is not a participant of the task."), code="who")
        cleaned[participant_id] = (_percent(pre), _percent(post))
    changed = 0
    with transaction.atomic():
        existing = {
            s.participant_id: s
            for s in TestScore.objects.select_for_update().filter(
                task=task, participant_id__in=cleaned
            )
        }
        for participant_id, (pre, post) in cleaned.items():
            score = existing.get(participant_id)
            if score is None:
                if pre is None and post is None:
                    continue
                score = TestScore.objects.create(
                    task=task, participant_id=participant_id, pre_test=pre, post_test=post
                )
                audit.created(score, actor=actor, note=note)
                changed += 1
            elif (score.pre_test, score.post_test) != (pre, post):
                with audit.tracking(
                    score, actor=actor, fields=["pre_test", "post_test"], note=note
                ):
                    score.pre_test, score.post_test = pre, post
                    score.save(update_fields=["pre_test", "post_test", "updated_at"])
                changed += 1
    return changed


def import_test_scores(task, *, actor, file) -> int:
    """Read an XLSX of results (see ``score_import``) and save them, or raise every error."""
    from lider.certification import score_import

    scores = score_import.read(file, queries.enrolments(task))
    return save_test_scores(
        task, actor=actor, scores=scores, note=gettext_lazy("imported from XLSX")
    )


# Issuing


def issue_certificate(
    task,
    participant,
    *,
    actor,
    issued_on: datetime.date | None = None,
    issued_at: datetime.datetime | None = None,
    code: str | None = None,
    notify: bool = True,
) -> Certificate:
    """Issue the participant's certificate for the task if they meet the rule.

    Idempotent: an existing valid certificate is returned as it is. The number comes from the
    series' counter row, locked for the whole transaction, so concurrent issues queue up and a
    failed one hands its number back. Raises ValidationError with code ``no_rule``, ``who``
    (not a participant of the task), ``not_met`` or ``no_sessions``.
    """
    certificate, _created = _issue(
        task,
        participant,
        actor=actor,
        issued_on=issued_on,
        issued_at=issued_at,
        code=code,
        notify=notify,
    )
    return certificate


def _issue(
    task,
    participant,
    *,
    actor,
    issued_on=None,
    issued_at=None,
    code=None,
    notify=True,
    standing: queries.Standing | None = None,
    printed: queries.Printed | None = None,
    series_id: int | None = None,
) -> tuple[Certificate, bool]:
    """Issue one certificate. A bulk run passes what it computed once for everyone (the
    participant's standing against the rule, the group's printed programme, the series id),
    so each certificate costs only its own few queries and its PDF."""
    issued_at = issued_at or timezone.now()
    issued_on = issued_on or timezone.localdate(issued_at)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        series = CertificateSeries.objects.select_for_update().get(
            pk=series_id or series_for(task).pk
        )
        existing = Certificate.objects.valid().filter(task=task, participant=participant).first()
        if existing is not None:
            return existing, False
        if standing is None:
            standing = _standing(task, participant)
        elif not standing.eligible:
            raise _not_met(standing.evaluation)
        if printed is None:
            printed = queries.printed_training(task, standing.enrolment.group_id)
        if printed is None:
            raise ValidationError(_("The task has no sessions to certify."), code="no_sessions")
        series.last_sequence += 1
        series.save(update_fields=["last_sequence"])
        certificate = _certificate(
            task, standing, printed, series, issued_on=issued_on, issued_at=issued_at, code=code
        )
        certificate.issued_by = actor if actor is not None and actor.is_authenticated else None
        pdf = _render_for_issue(certificate)
        certificate.sha256 = printing.checksum(pdf)
        certificate.save(force_insert=True)
        audit.created(certificate, actor=actor)
        if notify:
            transaction.on_commit(lambda: send_certificate(certificate, pdf=pdf))
    return certificate, True


def _render_for_issue(certificate: Certificate) -> bytes:
    """The PDF whose checksum is stored; a renderer failure refuses the issue (rolled back)."""
    try:
        return printing.render([certificate])
    except DocumentError as error:
        raise ValidationError(error.message, code="document") from error


def _not_met(evaluation) -> ValidationError:
    explanation = evaluation.explanation if evaluation else _("no completion rule")
    return ValidationError(
        _("The rule is not met: %(explanation)s") % {"explanation": explanation},
        code="not_met",
    )


def _standing(task, participant) -> queries.Standing:
    rule = queries.completion_rule(task)
    if rule is None:
        raise ValidationError(_("The task has no completion rule yet."), code="no_rule")
    enrolment = (
        queries.enrolments(task).filter(participant=participant).first()
        if participant is not None
        else None
    )
    if enrolment is None:
        raise ValidationError(_("This person is not a participant of the task."), code="who")
    named = rules.session_ids_in(rule.conditions)
    facts = queries.participant_facts(
        task,
        [{"participant_id": enrolment.participant_id, "group_id": enrolment.group_id}],
        session_ids=named,
    )[enrolment.participant_id]
    labels = queries.session_labels(task) if named else {}
    evaluation = rules.evaluate(rule.conditions, facts, sessions=labels)
    if not evaluation.met:
        raise _not_met(evaluation)
    return queries.Standing(enrolment, facts, evaluation, None, rule=rule)


def _certificate(task, standing, printed, series, *, issued_on, issued_at, code):
    project = task.project
    person = standing.participant.person
    code = code or new_code()
    return Certificate(
        project=project,
        task=task,
        participant=standing.participant,
        series=series,
        sequence=series.last_sequence,
        number=series.format(year=issued_on.year, sequence=series.last_sequence),
        code=code,
        issued_on=issued_on,
        issued_at=issued_at,
        full_name=person.full_name if person else str(standing.participant),
        gender={Sex.FEMALE: "female", Sex.MALE: "male"}.get(person.sex, "") if person else "",
        training_title=task.title,
        hours=printed.hours,
        start_date=printed.start_date,
        end_date=printed.end_date,
        place=printed.place,
        issue_place=project.applicant.city,
        project_title=project.title,
        project_number=project.number,
        cofinancing=project.cofinancing_statement,
        programme=printed.programme,
        verification_url=printing.verification_url(code),
        evaluation=evaluation_record(standing.rule, standing.evaluation),
    )


def evaluation_record(rule: CompletionRule, evaluation: rules.Evaluation) -> dict:
    """What is stored with a certificate: the rule as it was, its inputs and the result."""
    return {
        "rule_version": rule.version,
        "rule": rule.conditions,
        "inputs": evaluation.inputs,
        "met": evaluation.met,
        "explanation": evaluation.explanation,
    }


def send_certificate(certificate: Certificate, *, pdf: bytes | None = None) -> bool:
    """E-mail the certificate to the participant (in Polish), if they have an address."""
    person = certificate.participant.person
    if person is None or not person.email or is_restricted(person.pk):
        return False  # no address, or restricted (art. 18): no e-mails
    with translation.override(settings.LANGUAGE_CODE):
        pdf = pdf or printing.render([certificate])
        message = EmailMessage(
            subject=_("Your certificate: %(training)s") % {"training": certificate.training_title},
            body=render_to_string(
                "certification/mail/certificate.txt", {"certificate": certificate}
            ),
            to=[person.email],
        )
    message.attach(attachment_name(certificate), pdf, "application/pdf")
    message.send()
    return True


def attachment_name(certificate: Certificate) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in certificate.number)
    return f"zaswiadczenie-{safe}.pdf"


def revoke_certificate(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Revoke a certificate: the record stays, with who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking."), code="reason")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == Certificate.Status.REVOKED:
            raise ValidationError(_("The certificate is already revoked."), code="revoked")
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor
        certificate.revoke_reason = reason
        certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        audit.status_changed(
            certificate,
            actor=actor,
            old=Certificate.Status.ISSUED,
            new=Certificate.Status.REVOKED,
            note=reason,
        )
    return certificate


# Bulk issue


def start_bulk_issue(task, *, actor, issued_on: datetime.date | None = None) -> BulkIssueRun:
    """Record a run and hand it to the background task once the transaction commits."""
    from lider.certification import tasks

    if queries.completion_rule(task) is None:
        raise ValidationError(_("The task has no completion rule yet."), code="no_rule")
    run = BulkIssueRun.objects.create(
        task=task, created_by=actor, issued_on=issued_on or timezone.localdate()
    )
    audit.created(run, actor=actor)
    transaction.on_commit(lambda: tasks.bulk_issue.enqueue(run.pk))
    return run


# A bulk issue works in chunks: one transaction (one lock of the counter, one insert of the
# rows and of their audit entries) per chunk. An interruption loses at most the chunk being
# issued, whose numbers return with its rollback; the lock is held for a chunk's PDFs (~1 s).
CHUNK = 25


def issue_certificates(
    task,
    *,
    actor,
    issued_on: datetime.date | None = None,
    issued_at: datetime.datetime | None = None,
    codes=None,
    notify: bool = True,
    on_start=None,
    on_progress=None,
) -> list[Certificate]:
    """Issue every missing certificate of the task's participants who meet the rule.

    Idempotent (who already holds a valid certificate is skipped, also if someone issued it
    meanwhile), gap-free, and safe to interrupt: certificates are issued in chunks of
    ``CHUNK``, one transaction each. Attendance and scores are evaluated once, at the start;
    each certificate stores that evaluation. ``codes`` (an iterator) supplies verification
    codes (the demo's are seeded); ``on_start(total)`` and ``on_progress(done)`` report
    progress.
    """
    missing = [s for s in queries.standings(task) if s.eligible and not s.certificate]
    if on_start:
        on_start(len(missing))
    series_id = series_for(task).pk
    printed, issued = {}, []
    for first in range(0, len(missing), CHUNK):
        chunk = missing[first : first + CHUNK]
        for standing in chunk:
            group_id = standing.enrolment.group_id
            if group_id not in printed:
                printed[group_id] = queries.printed_training(task, group_id)
        issued += _issue_chunk(
            task,
            chunk,
            actor=actor,
            issued_on=issued_on,
            issued_at=issued_at,
            codes=codes,
            notify=notify,
            printed=printed,
            series_id=series_id,
        )
        if on_progress:
            on_progress(first + len(chunk))
    return issued


def _issue_chunk(
    task, chunk, *, actor, issued_on, issued_at, codes, notify, printed, series_id
) -> list[Certificate]:
    issued_at = issued_at or timezone.now()
    issued_on = issued_on or timezone.localdate(issued_at)
    actor = actor if actor is not None and actor.is_authenticated else None
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        series = CertificateSeries.objects.select_for_update().get(pk=series_id)
        holders = set(
            Certificate.objects.valid()
            .filter(task=task, participant_id__in=[s.participant.pk for s in chunk])
            .values_list("participant_id", flat=True)
        )
        made = []
        for standing in chunk:
            if standing.participant.pk in holders:
                continue
            group_printed = printed[standing.enrolment.group_id]
            if group_printed is None:
                raise ValidationError(_("The task has no sessions to certify."), code="no_sessions")
            series.last_sequence += 1
            certificate = _certificate(
                task,
                standing,
                group_printed,
                series,
                issued_on=issued_on,
                issued_at=issued_at,
                code=next(codes) if codes is not None else None,
            )
            certificate.issued_by = actor
            pdf = _render_for_issue(certificate)
            certificate.sha256 = printing.checksum(pdf)
            made.append((certificate, pdf))
        if not made:
            return []
        series.save(update_fields=["last_sequence"])
        certificates = Certificate.objects.bulk_create([c for c, _pdf in made])
        rows_written.send(Certificate, project_id=task.project_id)
        _audit_created(certificates, actor=actor)
        if notify:
            for certificate, pdf in made:
                transaction.on_commit(lambda c=certificate, p=pdf: send_certificate(c, pdf=p))
    return certificates


def _audit_created(certificates, *, actor) -> None:
    """The CREATE entries ``audit.created`` writes, for many certificates in one insert."""
    content_type = ContentType.objects.get_for_model(Certificate)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            action=audit.Action.CREATE,
            content_type=content_type,
            object_id=str(certificate.pk),
            object_repr=str(certificate)[:300],
            project_id=certificate.project_id,
            changes={
                name: [None, value]
                for name, value in audit.snapshot(certificate).items()
                if value not in (None, "", [])
            },
        )
        for certificate in certificates
    )


def run_bulk_issue(run: BulkIssueRun, *, notify: bool = True) -> BulkIssueRun:
    """Carry out a recorded bulk run (``issue_certificates``), keeping its progress on the row
    for the page to poll. An interrupted run is resumed by starting a new one."""
    run.status = BulkIssueRun.Status.RUNNING
    run.save(update_fields=["status"])

    def start(total):
        run.total = total
        run.save(update_fields=["total"])

    def progress(done):
        run.done = done
        run.save(update_fields=["done"])

    try:
        issue_certificates(
            run.task,
            actor=run.created_by,
            issued_on=run.issued_on,
            notify=notify,
            on_start=start,
            on_progress=progress,
        )
    except (ValidationError, IntegrityError) as error:
        run.status, run.error = BulkIssueRun.Status.FAILED, "; ".join(error_messages(error))
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status = BulkIssueRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def error_messages(error) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])
