"""PESEL and postal codes: validation, and what a PESEL tells (birth date, sex)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import pesel

POSTAL_CODE = re.compile(r"^\d{2}-\d{3}$")


def normalise_pesel(value: str) -> str:
    """Eleven digits with a valid check digit and a real birth date."""
    compact = pesel.compact(value or "")
    try:
        return pesel.validate(compact)
    except InvalidLength as error:
        raise ValidationError(_("A PESEL has 11 digits."), code="pesel_length") from error
    except InvalidFormat as error:
        raise ValidationError(_("A PESEL may contain digits only."), code="pesel_format") from error
    except InvalidChecksum as error:
        raise ValidationError(
            _("This PESEL has a wrong check digit: check for a typing error."),
            code="pesel_checksum",
        ) from error
    except InvalidComponent as error:
        raise ValidationError(
            _("This PESEL does not encode a real birth date."), code="pesel_date"
        ) from error
    except StdnumError as error:
        raise ValidationError(_("This PESEL is not valid."), code="pesel") from error


def birth_date_from_pesel(value: str) -> datetime.date:
    return pesel.get_birth_date(value)


def sex_from_pesel(value: str) -> str:
    """'K' (kobieta) or 'M' (mężczyzna), as monitoring forms write it."""
    return "K" if pesel.get_gender(value) == "F" else "M"


def normalise_postal_code(value: str) -> str:
    value = (value or "").strip()
    if len(value) == 5 and value.isdigit():
        value = f"{value[:2]}-{value[2:]}"
    if not POSTAL_CODE.match(value):
        raise ValidationError(_("A postal code is written as 00-000."), code="postal_code")
    return value


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on a day (as monitoring asks: age when joining the project)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
