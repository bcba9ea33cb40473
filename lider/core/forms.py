from django import forms
from django.utils.translation import gettext_lazy as _


class LiftLockForm(forms.Form):
    """Which lock to lift: a login from an address, or (login left empty) a whole address."""

    login = forms.CharField(label=_("Login"), max_length=150, required=False)
    address = forms.GenericIPAddressField(label=_("Address"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("login") and not cleaned.get("address"):
            raise forms.ValidationError(_("Give a login or an address."), code="empty")
        return cleaned
