"""Every write of certification but issuing (`issuing`): rules, numbering, test scores."""

import secrets
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.certification import queries, rules
from lider.certification.models import (
    CertificateSeries,
    CompletionRule,
    TestScore,
)
from lider.core import audit
from lider.delivery.models import Enrolment, Session

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
