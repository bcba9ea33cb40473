"""Polish organisation identifiers: validation and normalisation.

Checksums come from python-stdnum; KRS has no check digit, so it is only normalised to the
ten zero-padded digits the register uses.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)
from stdnum.pl import nip, regon

KRS_PATTERN = re.compile(r"^(?:KRS)?\s*([0-9]{1,10})$", re.IGNORECASE)


def refuse_foreign_digits(value: str, what: str) -> None:
    """Identifiers are written in ASCII digits: a full-width digit or one of another script
    (which python-stdnum and `str.isdigit` quietly accept) is refused, not converted."""
    if not value.isascii() and any(not c.isascii() and c.isalnum() for c in value):
        raise ValidationError(
            _("%(what)s must be written with the digits 0-9 (not full-width or other digits).")
            % {"what": what},
            code="foreign_digits",
        )


def _reason(error: StdnumError, what: str) -> ValidationError:
    if isinstance(error, InvalidLength):
        return ValidationError(
            _("%(what)s has the wrong number of digits.") % {"what": what}, code="length"
        )
    if isinstance(error, InvalidChecksum):
        return ValidationError(
            _("%(what)s has a wrong check digit.") % {"what": what}, code="checksum"
        )
    if isinstance(error, InvalidFormat):
        return ValidationError(
            _("%(what)s may contain digits only.") % {"what": what}, code="format"
        )
    return ValidationError(_("%(what)s is not valid.") % {"what": what}, code="invalid")


def normalise_nip(value: str) -> str:
    """Ten digits, without dashes, spaces or the PL prefix."""
    refuse_foreign_digits(value, "NIP")
    compact = nip.compact(value)
    try:
        return nip.validate(compact)
    except StdnumError as error:
        raise _reason(error, "NIP") from error


def normalise_regon(value: str) -> str:
    """Nine or fourteen digits.

    The KRS API pads a 9-digit REGON to 14 digits with trailing zeros; such a number is not a
    valid 14-digit REGON, so when its first nine digits validate it is stored as those nine.
    """
    refuse_foreign_digits(value, "REGON")
    compact = regon.compact(value)
    if len(compact) == 14 and compact.endswith("00000") and regon.is_valid(compact[:9]):
        return compact[:9]
    try:
        return regon.validate(compact)
    except StdnumError as error:
        raise _reason(error, "REGON") from error


def normalise_krs(value: str) -> str:
    """Ten zero-padded digits: 'KRS0000377518', '377518' and '0000377518' are the same."""
    refuse_foreign_digits(value, "KRS")
    match = KRS_PATTERN.match(value.strip().replace(" ", ""))
    if not match:
        raise ValidationError(
            _("A KRS number has up to 10 digits, optionally after the letters KRS."), code="krs"
        )
    if not match.group(1).strip("0"):
        raise ValidationError(_("A KRS number cannot be all zeros."), code="krs_zero")
    return match.group(1).zfill(10)


ORGANISATION_IDENTIFIERS = (
    ("nip", normalise_nip),
    ("regon", normalise_regon),
    ("krs", normalise_krs),
)


def clean_organisation_identifiers(obj, errors: dict) -> None:
    """Normalise the NIP, REGON and KRS fields of `obj` in place; put failures in `errors`.

    Shared by every model that names an organisation (project organisations, institutions,
    founded entities), so the rules live in one place.
    """
    for field, normalise in ORGANISATION_IDENTIFIERS:
        value = getattr(obj, field)
        if value:
            try:
                setattr(obj, field, normalise(value))
            except ValidationError as error:
                errors[field] = error
