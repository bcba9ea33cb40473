"""Issuing certificates, one or in bulk (a single issue is a list of one), and revoking them."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lider.certification import printing, queries, rules
from lider.certification.models import (
    BulkIssueRun,
    Certificate,
    CertificateSeries,
    CompletionRule,
)
from lider.certification.services import new_code, series_for
from lider.core import audit
from lider.core.models import AuditEntry
from lider.core.render_pool import DocumentError
from lider.core.signals import rows_written
from lider.people.models import Sex
from lider.people.restrictions import is_restricted
from lider.projects.logos import printed_marks

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
    """Issue the participant's certificate for the task if they meet the rule: a bulk issue
    of one (the same code path, the same checks, numbering and audit entry).

    Idempotent: an existing valid certificate is returned as it is. The number comes from the
    series' counter row, locked for the whole transaction, so concurrent issues queue up and a
    failed one hands its number back. Raises ValidationError with code ``no_rule``, ``who``
    (not a participant of the task), ``not_met`` or ``no_sessions``.
    """
    existing = Certificate.objects.valid().filter(task=task, participant=participant).first()
    if existing is not None:
        return existing
    standing = _standing(task, participant)
    group_id = standing.enrolment.group_id
    issued = _issue_chunk(
        task,
        [standing],
        actor=actor,
        issued_on=issued_on,
        issued_at=issued_at,
        codes=iter([code]) if code else None,
        notify=notify,
        printed={group_id: queries.printed_training(task, group_id)},
        series_id=series_for(task).pk,
    )
    # Nothing issued: someone issued it meanwhile (the chunk skips holders).
    return (
        issued[0] if issued else Certificate.objects.valid().get(task=task, participant=participant)
    )


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
        hours_unit=printed.hours_unit,
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
        logos = printed_marks(task.project)  # the strip at issue, frozen with each certificate
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
            certificate.logos = logos
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
