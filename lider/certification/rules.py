"""Completion rules as data: a small tree of conditions, validated, evaluated and explained.

A rule is JSON, one key per node:

    {"all": [{"attendance": 80}, {"post_test": 60}]}    every condition
    {"any": [{"sessions": [12, 13]}, {"post_test": 90}]} at least one
    {"attendance": 80}     at least 80 % of the training hours of the participant's sessions
    {"sessions": [12]}     attended each of these sessions (ids of the task's sessions)
    {"post_test": 60}      post-test score of at least 60 %

Evaluation takes plain facts (``Facts``) and returns whether the rule is met and a one-line
explanation in the active language, e.g. "obecność 85 % ≥ 80 % ✓; test końcowy 72 % ≥ 60 % ✓".
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

GROUPS = ("all", "any")
LEAVES = ("attendance", "sessions", "post_test")
MAX_DEPTH = 4


@dataclass(frozen=True)
class Facts:
    """What is known about one participant of a task, as the rule needs it."""

    hours_total: Decimal = Decimal(0)
    hours_attended: Decimal = Decimal(0)
    share: Decimal = Decimal(0)  # percent of training hours attended
    sessions_attended: frozenset[int] = frozenset()
    pre_test: Decimal | None = None
    post_test: Decimal | None = None


@dataclass(frozen=True)
class Evaluation:
    met: bool
    explanation: str
    inputs: dict = field(default_factory=dict)


def validate(tree, *, session_ids=None) -> None:
    """Raise ValidationError (code "rule") unless ``tree`` is a well-formed rule.

    With ``session_ids``, sessions named in the rule must be among them (the task's sessions).
    """
    _validate(tree, 1, session_ids)


def _invalid(message) -> ValidationError:
    return ValidationError(message, code="rule")


def _validate(node, depth, session_ids) -> None:
    if depth > MAX_DEPTH:
        raise _invalid(gettext_lazy("The rule is nested too deeply."))
    if not isinstance(node, Mapping) or len(node) != 1:
        raise _invalid(gettext_lazy("Each condition must have exactly one kind."))
    ((kind, value),) = node.items()
    if kind in GROUPS:
        if not isinstance(value, list) or not value:
            raise _invalid(gettext_lazy("A group of conditions needs at least one condition."))
        for child in value:
            _validate(child, depth + 1, session_ids)
    elif kind in ("attendance", "post_test"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise _invalid(gettext_lazy("A minimum share must be a number from 0 to 100."))
    elif kind == "sessions":
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in value)
        ):
            raise _invalid(gettext_lazy("Name at least one session."))
        if session_ids is not None and not set(value) <= set(session_ids):
            raise _invalid(gettext_lazy("The rule names a session of another task."))
    else:
        raise _invalid(gettext_lazy("Unknown condition: %(kind)s.") % {"kind": kind})


def session_ids_in(tree) -> set[int]:
    """Every session the rule names."""
    ((kind, value),) = tree.items()
    if kind in GROUPS:
        return set().union(*(session_ids_in(child) for child in value))
    return set(value) if kind == "sessions" else set()


def evaluate(tree, facts: Facts, *, sessions: Mapping[int, str] | None = None) -> Evaluation:
    """Whether ``facts`` meet the rule, with the explanation; ``sessions`` labels session ids."""
    met, parts = _evaluate(tree, facts, sessions or {}, top=True)
    named = session_ids_in(tree)
    inputs = {
        "hours_total": _plain(facts.hours_total),
        "hours_attended": _plain(facts.hours_attended),
        "share": _plain(facts.share),
        "pre_test": _plain(facts.pre_test),
        "post_test": _plain(facts.post_test),
        "sessions_attended": sorted(named & set(facts.sessions_attended)),
    }
    return Evaluation(met=met, explanation="; ".join(parts), inputs=inputs)


def _evaluate(node, facts, sessions, *, top=False) -> tuple[bool, list[str]]:
    ((kind, value),) = node.items()
    if kind in GROUPS:
        results = [_evaluate(child, facts, sessions) for child in value]
        met = all(r[0] for r in results) if kind == "all" else any(r[0] for r in results)
        parts = [part for _met, child_parts in results for part in child_parts]
        if top and kind == "all":
            return met, parts
        label = _("all of") if kind == "all" else _("at least one of")
        return met, [f"{label}: ({'; '.join(parts)}) {_mark(met)}"]
    if kind == "attendance":
        met = facts.share >= Decimal(str(value))
        return met, [_compare(_("attendance"), facts.share, value, met)]
    if kind == "post_test":
        if facts.post_test is None:
            return False, [_("post-test: no result") + " " + _mark(False)]
        met = facts.post_test >= Decimal(str(value))
        return met, [_compare(_("post-test"), facts.post_test, value, met)]
    parts, met = [], True
    for pk in value:
        attended = pk in facts.sessions_attended
        met = met and attended
        label = sessions.get(pk, f"#{pk}")
        state = _("attended") if attended else _("not attended")
        parts.append(f"{label}: {state} {_mark(attended)}")
    return met, parts


def _compare(label: str, actual, minimum, met: bool) -> str:
    sign = "≥" if met else "<"
    return f"{label} {percent(actual)} {sign} {percent(minimum)} {_mark(met)}"


def _mark(met: bool) -> str:
    return "✓" if met else "✗"


def percent(value) -> str:
    """85 → '85 %', 87.54 → '87,5 %' (one decimal place at most, in the active language)."""
    number = Decimal(str(value)).quantize(Decimal("0.1"))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{formats.number_format(number, use_l10n=True)} %"


def _plain(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def describe(tree, *, sessions: Mapping[int, str] | None = None) -> str:
    """The rule itself in words, e.g. 'obecność ≥ 80 %; test końcowy ≥ 60 %'."""
    return "; ".join(_describe(tree, sessions or {}, top=True))


def _describe(node, sessions, *, top=False) -> list[str]:
    ((kind, value),) = node.items()
    if kind in GROUPS:
        parts = [part for child in value for part in _describe(child, sessions)]
        if top and kind == "all":
            return parts
        label = _("all of") if kind == "all" else _("at least one of")
        return [f"{label}: ({'; '.join(parts)})"]
    if kind == "attendance":
        return [f"{_('attendance')} ≥ {percent(value)}"]
    if kind == "post_test":
        return [f"{_('post-test')} ≥ {percent(value)}"]
    return [f"{_('attended')}: {sessions.get(pk, f'#{pk}')}" for pk in value]
