from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from lider.core.accounts import find_user, validate_new_login
from lider.core.permissions import Role
from lider.core.pickers import SearchableCheckboxes
from lider.projects.models import Project


class ProjectCardForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "number",
            "title",
            "cofinancing_statement",
            "classification",
            "institution",
            "applicant",
            "partners",
            "counties",
            "start_date",
            "end_date",
            "main_goal",
            "is_public",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "cofinancing_statement": forms.Textarea(attrs={"rows": 2}),
            "main_goal": forms.Textarea(attrs={"rows": 4}),
            "counties": SearchableCheckboxes,
        }
        help_texts = {"counties": _("The counties where the project is carried out.")}


class GrantRoleForm(forms.Form):
    username = forms.CharField(label=_("Login of the user"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = find_user(username)
        if user is not None and user.is_active:
            return user
        raise forms.ValidationError(
            _("There is no active user with the login %(login)s."),
            code="unknown",
            params={"login": username},
        )


class InvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=settings.LANGUAGES, initial="pl"
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class AcceptInvitationForm(forms.Form):
    """The invitee's login and password; the password passes Django's validators."""

    username = forms.CharField(
        label=_("Login"),
        max_length=150,
        help_text=_("Letters, digits and . @ + - _ only; you will log in with it."),
        validators=[UnicodeUsernameValidator()],
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_username(self):
        return validate_new_login(self.cleaned_data["username"])

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                username=cleaned.get("username", ""),
                email=self.invitation.email,
                first_name=self.invitation.first_name,
                last_name=self.invitation.last_name,
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProjectStateForm(forms.Form):
    """The next state of a project, among those its lifecycle allows from the current one."""

    state = forms.ChoiceField(label=_("New state"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note for the audit trail"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            (state, Project.State(state).label) for state in project.next_states
        ]
