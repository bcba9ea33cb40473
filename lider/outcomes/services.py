"""Writes of outcomes: recording founded entities and verifying them against KRS."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lider.core import audit
from lider.outcomes import krs as krs_client
from lider.outcomes.models import FoundedEntity
from lider.projects.identifiers import normalise_nip, normalise_regon
from lider.territory.models import Unit

ENTITY_FIELDS = [
    "order",
    "name",
    "legal_form",
    "krs",
    "nip",
    "regon",
    "registration_date",
    "seat",
    "city",
    "street",
    "postal_code",
    "evidence",
]


@dataclass
class KrsCheck:
    """What a verification found: the fields it filled and where the record and KRS differ."""

    entity: FoundedEntity
    extract: krs_client.KrsEntity
    filled: list[str] = field(default_factory=list)
    differences: list[tuple[str, str, str]] = field(default_factory=list)  # field, ours, KRS
    # Values KRS gives for empty fields that the field cannot hold (an invalid NIP, a street
    # longer than the column): left empty, listed for the person checking (field, KRS).
    refused: list[tuple[str, str]] = field(default_factory=list)


def record_entity(project, *, actor, founders=(), **values) -> FoundedEntity:
    """Record an entity founded in ``project``; identifiers are normalised and checked."""
    unknown = set(values) - set(ENTITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    entity = FoundedEntity(project=project, **values)
    entity.full_clean()
    _check_founders(project, founders)
    with transaction.atomic():
        entity.save()
        entity.founders.set(founders)
        audit.created(entity, actor=actor)
    return entity


def update_entity(entity: FoundedEntity, *, actor, founders=None, **values) -> FoundedEntity:
    """Change an entity's fields; a changed KRS number makes a verification void."""
    unknown = set(values) - set(ENTITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    old_krs = entity.krs
    for name, value in values.items():
        setattr(entity, name, value)
    entity.full_clean()
    changed = list(values)
    if entity.krs != old_krs and entity.verification == FoundedEntity.Verification.KRS:
        entity.verification = FoundedEntity.Verification.UNVERIFIED
        entity.verified_on = None
        entity.krs_name = entity.krs_legal_form = ""
        changed += ["verification", "verified_on", "krs_name", "krs_legal_form"]
    if founders is not None:
        _check_founders(entity.project, founders)
    with audit.tracking(entity, actor=actor):
        entity.save(update_fields=changed)
        if founders is not None:
            entity.founders.set(founders)
    return entity


def _check_founders(project, founders) -> None:
    if any(founder.project_id != project.pk for founder in founders):
        raise ValidationError(
            _("Founders must be participants of the project."), code="founder_project"
        )


def verify_from_krs(
    entity: FoundedEntity, *, actor, today: datetime.date | None = None
) -> KrsCheck:
    """Fill empty fields from the entity's current KRS extract and list the differences.

    The record becomes "verified from KRS on <today>". When the register cannot answer, raises
    ``ValidationError`` with code ``krs_unavailable``: the caller offers the manual path
    (:func:`confirm_manually`). An unknown number raises code ``krs_not_found``.
    """
    if not entity.krs:
        raise ValidationError(_("The entity has no KRS number to verify."), code="no_krs")
    try:
        extract = krs_client.fetch_extract(entity.krs)
    except krs_client.KrsNotFound as error:
        raise ValidationError(str(error), code="krs_not_found") from error
    except krs_client.KrsUnavailable as error:
        raise ValidationError(str(error), code="krs_unavailable") from error
    check = KrsCheck(entity=entity, extract=extract)
    ours_vs_krs = [
        ("name", entity.name, extract.name),
        ("legal_form", entity.legal_form, _legal_form(extract)),
        ("registration_date", entity.registration_date, extract.registration_date),
        ("nip", entity.nip, extract.nip),
        ("regon", entity.regon, extract.regon),
        ("city", entity.city, extract.city.title()),
        ("street", entity.street, _street(extract)),
        ("postal_code", entity.postal_code, extract.postal_code),
    ]
    for name, ours, theirs in ours_vs_krs:
        if theirs in (None, ""):
            continue
        if ours in (None, ""):
            try:
                value = _fitting(entity, name, theirs)
            except ValidationError:
                check.refused.append((name, str(theirs)))
                continue
            setattr(entity, name, value)
            check.filled.append(name)
        elif not _same(ours, theirs):
            check.differences.append((name, str(ours), str(theirs)))
    if entity.seat_id is None:
        seat = seat_from_extract(extract)
        if seat is not None:
            entity.seat = seat
            check.filled.append("seat")
    entity.krs_name = extract.name
    entity.krs_legal_form = extract.legal_form
    entity.verification = FoundedEntity.Verification.KRS
    entity.verified_on = today or timezone.localdate()
    entity.confirmed_by = None
    note = "; ".join(
        [f"{name}: {ours} ≠ {theirs}" for name, ours, theirs in check.differences]
        + [f"{name}: — ≠ {theirs}" for name, theirs in check.refused]
    )
    with audit.tracking(entity, actor=actor, note=note):
        entity.save(
            update_fields=[
                *check.filled,
                "krs_name",
                "krs_legal_form",
                "verification",
                "verified_on",
                "confirmed_by",
            ]
        )
    return check


def confirm_manually(
    entity: FoundedEntity, *, actor, note: str = "", today: datetime.date | None = None
) -> FoundedEntity:
    """The register cannot answer: a person checked the extract and confirms the record."""
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("A manual confirmation needs a user."), code="no_actor")
    entity.verification = FoundedEntity.Verification.MANUAL
    entity.verified_on = today or timezone.localdate()
    entity.confirmed_by = actor
    with audit.tracking(entity, actor=actor, note=note):
        entity.save(update_fields=["verification", "verified_on", "confirmed_by"])
    return entity


def _fitting(entity: FoundedEntity, name: str, value):
    """``value`` as field ``name`` stores it, validated as a form would (length, choices,
    identifier check digits); ValidationError when it does not fit."""
    if name in IDENTIFIERS:
        value = IDENTIFIERS[name](value)
    return FoundedEntity._meta.get_field(name).clean(value, entity)


IDENTIFIERS = {"nip": normalise_nip, "regon": normalise_regon}


def seat_from_extract(extract: krs_client.KrsEntity) -> Unit | None:
    """The TERC gmina of the extract's seat, matched by gmina, county and voivodeship names."""
    gmina = _unit_name(extract.gmina)
    if not gmina:
        return None
    county = _unit_name(extract.county).upper()
    voivodeship = extract.voivodeship.upper()
    candidates = (
        Unit.objects.filter(
            level=Unit.Level.GMINA,
            name__in={gmina.title(), gmina.capitalize(), gmina},
            gmina_type__in=[
                Unit.GminaType.URBAN,
                Unit.GminaType.RURAL,
                Unit.GminaType.URBAN_RURAL,
            ],
        )
        .select_related("parent__parent")
        .order_by("-reference_date", "code")
    )
    for unit in candidates:
        parent = unit.parent
        if county and parent is not None and parent.name.upper() != county:
            continue
        grandparent = parent.parent if parent is not None else None
        if voivodeship and grandparent is not None and grandparent.name.upper() != voivodeship:
            continue
        return unit
    return None


def _unit_name(value: str) -> str:
    """'M. CZĘSTOCHOWA' → 'CZĘSTOCHOWA', 'GM. HERBY' → 'HERBY'."""
    value = value.strip()
    for prefix in ("M. ST. ", "M. ", "GM. ", "GM.", "M."):
        if value.upper().startswith(prefix):
            return value[len(prefix) :].strip()
    return value


def _legal_form(extract: krs_client.KrsEntity) -> str:
    code = extract.legal_form_code
    return "" if code in {code.OTHER, code.COMPANY, code.COOPERATIVE} else str(code)


def _street(extract: krs_client.KrsEntity) -> str:
    street = extract.street.title().replace("Ul. ", "ul. ")
    number = extract.house_number
    if extract.flat_number:
        number = f"{number}/{extract.flat_number}"
    return " ".join(part for part in (street, number) if part)


def _same(ours, theirs) -> bool:
    if isinstance(ours, str) and isinstance(theirs, str):
        return _comparable(ours) == _comparable(theirs)
    return ours == theirs


def _comparable(text: str) -> str:
    for quote in "„”“«»":
        text = text.replace(quote, '"')
    return " ".join(text.upper().split())
