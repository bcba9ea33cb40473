from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from lider.core.permissions import Role
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
        }
        help_texts = {"counties": _("The counties where the project is carried out.")}


class GrantRoleForm(forms.Form):
    username = forms.CharField(label=_("Login of the user"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise forms.ValidationError(
                _("There is no active user with the login %(login)s."),
                code="unknown",
                params={"login": username},
            ) from None
