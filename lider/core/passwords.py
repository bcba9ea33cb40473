"""Password reset and change: Django's views and forms, throttled like logging in, audited.

A reset request counts under the key `reset:<e-mail>` for the requesting address (every
request, since the answer never says whether the address has an account), so the same
per-pair and per-address ceilings apply as to logins. A wrong current password on the change
form counts as a failed login of that account from that address.
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from lider.core import accounts, audit
from lider.core.permissions import AUTHENTICATED, PUBLIC


class ThrottledPasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            key = "reset:" + email
            address = accounts.client_address(self.request) if self.request else None
            lock = accounts.current_lock(key, address)
            if lock is not None:
                raise forms.ValidationError(accounts.locked_message(lock), code="locked")
            accounts.record_failure(key, address)
        return cleaned


class ThrottledPasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self):
        login = self.user.get_username()
        address = accounts.client_address(self.request) if self.request else None
        lock = accounts.current_lock(login, address)
        if lock is not None:
            raise forms.ValidationError(accounts.locked_message(lock), code="locked")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            accounts.record_failure(login, address)
            raise


class _WithRequest:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetView(_WithRequest, auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("backoffice:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("backoffice:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(form.user, audit.Action.UPDATE, form.user, note="password reset by e-mail")
        return response


class PasswordChangeView(_WithRequest, auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm
    success_url = reverse_lazy("backoffice:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            self.request.user, audit.Action.UPDATE, self.request.user, note="password changed"
        )
        return response


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view()
for _view in (password_reset, password_reset_done, password_reset_confirm, password_reset_complete):
    _view.lider_permission = PUBLIC
for _view in (password_change, password_change_done):
    _view.lider_permission = AUTHENTICATED
