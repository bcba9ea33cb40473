"""PESEL and postal codes: validation, and what a PESEL tells (birth date, sex).

The one definition of these rules: the forms, the model and the spreadsheet import all check
through here. `read_pesel` is written for speed (an import checks 10,000 of them): the check
digit is computed on the character codes, without a conversion per digit.
"""

import datetime
import re
from operator import mul

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lider.projects.identifiers import refuse_foreign_digits

POSTAL_CODE = re.compile(r"^[0-9]{2}-[0-9]{3}$")
PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
CODES_WEIGHT = 48 * sum(PESEL_WEIGHTS)  # what the codes of "0" add to the weighted sum
CENTURY = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}
OLDEST_AGE = 120  # nobody older applies to a project: such a PESEL is a typing error


def _decode(value: str) -> tuple[datetime.date, str]:
    """(birth date, sex) of eleven ASCII digits with the right check digit."""
    if not (value.isascii() and value.isdigit()):
        refuse_foreign_digits(value, "PESEL")
        raise ValidationError(_("A PESEL may contain digits only."), code="pesel_format")
    if len(value) != 11:
        raise ValidationError(_("A PESEL has 11 digits."), code="pesel_length")
    # Character codes, not digits: each is its digit + 48, taken off once for the whole sum.
    codes = value.encode()
    if (10 - (sum(map(mul, PESEL_WEIGHTS, codes)) - CODES_WEIGHT) % 10) % 10 != codes[10] - 48:
        raise ValidationError(
            _("This PESEL has a wrong check digit: check for a typing error."),
            code="pesel_checksum",
        )
    month = codes[2] * 10 + codes[3] - 528  # 528 = 48 × 11
    year = CENTURY[month // 20 * 20] + codes[0] * 10 + codes[1] - 528
    try:
        born = datetime.date(year, month % 20, codes[4] * 10 + codes[5] - 528)
    except ValueError as error:
        raise ValidationError(
            _("This PESEL does not encode a real birth date."), code="pesel_date"
        ) from error
    return born, ("K" if codes[9] % 2 == 0 else "M")


def read_pesel(value: str, *, today: datetime.date | None = None) -> tuple[datetime.date, str]:
    """(birth date, sex) of the PESEL of a living applicant, or ValidationError saying why not.

    python-stdnum accepts a birth date in the future and one 200 years ago; neither can be an
    applicant's, so both are refused as typing errors.
    """
    born, sex = _decode(value)
    today = today or timezone.localdate()
    if born > today:
        raise ValidationError(
            _("This PESEL gives a birth date in the future (%(date)s): check for a typing error."),
            code="pesel_future",
            params={"date": born.isoformat()},
        )
    if age_on(born, today) > OLDEST_AGE:
        raise ValidationError(
            _(
                "This PESEL gives a birth date more than %(years)s years ago (%(date)s): "
                "check for a typing error."
            ),
            code="pesel_too_old",
            params={"years": OLDEST_AGE, "date": born.isoformat()},
        )
    return born, sex


def normalise_pesel(value: str) -> str:
    """Eleven ASCII digits with a valid check digit and a birth date a living person has."""
    value = value or ""
    refuse_foreign_digits(value, "PESEL")
    compact = value.replace(" ", "").replace("-", "").strip()
    read_pesel(compact)
    return compact


def birth_date_from_pesel(value: str) -> datetime.date:
    return _decode(value)[0]


def sex_from_pesel(value: str) -> str:
    """'K' (kobieta) or 'M' (mężczyzna), as monitoring forms write it."""
    return _decode(value)[1]


def normalise_postal_code(value: str) -> str:
    """00-000 in ASCII digits; five digits without the dash are accepted and dashed."""
    value = (value or "").strip()
    if len(value) == 5 and value.isascii() and value.isdigit():
        value = f"{value[:2]}-{value[2:]}"
    if not POSTAL_CODE.match(value):
        raise ValidationError(_("A postal code is written as 00-000."), code="postal_code")
    return value


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on a day (as monitoring asks: age when joining the project)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
