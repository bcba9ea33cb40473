from django import forms
from django.utils.translation import gettext_lazy as _

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
