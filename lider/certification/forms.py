import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lider.certification import rules
from lider.certification.models import validate_number_pattern


class CompletionRuleForm(forms.Form):
    """The usual rule in fields; the stored tree may be nested further (see ``rules``)."""

    COMBINE = [("all", _("all of the conditions")), ("any", _("at least one of the conditions"))]

    combine = forms.ChoiceField(label=_("The participant must meet"), choices=COMBINE)
    attendance = forms.DecimalField(
        label=_("Minimum share of training hours attended (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    post_test = forms.DecimalField(
        label=_("Minimum post-test score (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    sessions = forms.MultipleChoiceField(
        label=_("Sessions that must be attended"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [(str(pk), label) for pk, label in session_choices]

    @classmethod
    def initial_from(cls, tree) -> dict:
        """Fill the fields from a stored one-level rule (a deeper one starts empty)."""
        if not tree:
            return {"combine": "all", "attendance": 80}
        ((kind, value),) = tree.items()
        children = value if kind in rules.GROUPS else [tree]
        initial = {"combine": kind if kind in rules.GROUPS else "all", "sessions": []}
        for child in children:
            ((child_kind, child_value),) = child.items()
            if child_kind in ("attendance", "post_test"):
                initial[child_kind] = child_value
            elif child_kind == "sessions":
                initial["sessions"] += [str(pk) for pk in child_value]
        return initial

    def clean(self):
        data = super().clean()
        conditions = []
        if data.get("attendance") is not None:
            conditions.append({"attendance": float(data["attendance"])})
        if data.get("sessions"):
            conditions.append({"sessions": [int(pk) for pk in data["sessions"]]})
        if data.get("post_test") is not None:
            conditions.append({"post_test": float(data["post_test"])})
        if not conditions:
            raise ValidationError(_("Set at least one condition."), code="empty")
        data["conditions"] = {data.get("combine") or "all": conditions}
        return data


class NumberPatternForm(forms.Form):
    pattern = forms.CharField(
        label=_("Number format"),
        max_length=60,
        validators=[validate_number_pattern],
        help_text=_("For example LRES/{year}/{seq:03d} gives LRES/2010/001."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), widget=forms.Textarea, max_length=2000)


class PercentField(forms.Field):
    """A test result typed as a percentage, 0 to 100 with a comma or a dot ("85,5"), rounded
    to hundredths; empty is None. Anything else (too long, NUL, "nan", "1e309", over 100) is
    refused with one message (exponents too: "1e1"); "-0" is 0."""

    MAX_LENGTH = 20
    # ASCII digits only: no exponent, "nan", "inf", NUL or other scripts' digits.
    NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
    default_error_messages = {"invalid": _("Enter a percentage from 0 to 100.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        text = text.replace(",", ".")
        if len(text) > self.MAX_LENGTH or not self.NUMBER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = Decimal(text).quantize(Decimal("0.01"))
        if not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number if number else Decimal("0.00")  # "-0" is 0


class ScoresForm(forms.Form):
    """A task's score table: ``pre-<participant id>`` and ``post-<participant id>`` for each
    participant whose row was sent (a row not sent is left as it is)."""

    def __init__(self, data, *, participant_ids):
        super().__init__(data)
        self.participant_ids = [
            pid for pid in participant_ids if f"pre-{pid}" in data or f"post-{pid}" in data
        ]
        for pid in self.participant_ids:
            self.fields[f"pre-{pid}"] = PercentField()
            self.fields[f"post-{pid}"] = PercentField()

    def scores(self) -> dict:
        """{participant id: (pre, post)} of a valid form."""
        return {
            pid: (self.cleaned_data[f"pre-{pid}"], self.cleaned_data[f"post-{pid}"])
            for pid in self.participant_ids
        }

    def row_errors(self) -> dict:
        """{participant id: the first message} for each row with an error."""
        errors = {}
        for pid in self.participant_ids:
            messages = self.errors.get(f"pre-{pid}") or self.errors.get(f"post-{pid}")
            if messages:
                errors[pid] = messages[0]
        return errors


class ScoreImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        help_text=_("Headers: PESEL (or Imię and Nazwisko), Pre-test, Post-test."),
    )


class VerificationForm(forms.Form):
    """A verification code, or a certificate's printed number (with the holder's surname)."""

    code = forms.CharField(
        label=_("Verification code or certificate number"),
        max_length=100,
        help_text=_("As printed on the certificate, e.g. K7M4-XQ9P-2W or LRES/2010/001."),
    )
    surname = forms.CharField(
        label=_("Surname of the holder"),
        max_length=100,
        required=False,
        help_text=_("Needed only with a certificate number, not with a code."),
    )
