from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from lider.core.accounts import find_user, validate_new_login
from lider.core.permissions import Role
from lider.core.pickers import SearchableCheckboxes
from lider.projects import hours, logo_images
from lider.projects.identifiers import normalise_krs
from lider.projects.models import (
    LOGO_CAPTION_MAX_LENGTH,
    Organisation,
    ProgrammeNode,
    Project,
    SpecificGoal,
    TargetGroup,
    Task,
)
from lider.territory.models import Unit

# Addresses the back office uses itself under /biuro/projekty/: no project may take them.
RESERVED_SLUGS = frozenset({"nowy", "organizacje", "programy"})
# Long texts of the card: a page or two at most.
LONG_TEXT = 5000


class ProgrammeChoiceField(forms.ModelChoiceField):
    """A level of a programme tree, shown with its whole lineage ("FERS › 4 › 4.1 …")."""

    def __init__(self, queryset=None, **kwargs):
        queryset = ProgrammeNode.objects.select_related("parent__parent__parent").order_by(
            "parent__parent__parent__code", "parent__parent__code", "parent__code", "code"
        )
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, node):
        # The programme by its short code above its levels ("FERS › I. Umiejętności").
        return " › ".join(
            n.code if n.parent_id is None and n is not node else n.label for n in node.lineage()
        )


class ProjectCardForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "number",
            "contract_number",
            "title",
            "cofinancing_statement",
            "classification",
            "institution",
            "applicant",
            "partners",
            "counties",
            "start_date",
            "end_date",
            "archiving_date",
            "hours_unit",
            "main_goal",
            "is_public",
            "invite_participants",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "archiving_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "cofinancing_statement": forms.Textarea(attrs={"rows": 2}),
            "main_goal": forms.Textarea(attrs={"rows": 4}),
            "counties": SearchableCheckboxes,
        }
        help_texts = {"counties": _("The counties where the project is carried out.")}
        field_classes = {"classification": ProgrammeChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a submission (an older form, a script), the unit stays what it was.
        self.fields["hours_unit"].required = False
        self.fields["main_goal"].max_length = LONG_TEXT
        self.fields["main_goal"].widget.attrs["maxlength"] = LONG_TEXT
        self.fields["main_goal"].validators.append(MaxLengthValidator(LONG_TEXT))

    def clean_hours_unit(self):
        return self.cleaned_data.get("hours_unit") or self.instance.hours_unit or hours.DEFAULT


class ProjectCreateForm(ProjectCardForm):
    """A new project's card: classification, organisations, numbers, period and counties."""

    class Meta(ProjectCardForm.Meta):
        fields = [
            "title",
            "slug",
            "classification",
            "institution",
            "number",
            "contract_number",
            "applicant",
            "partners",
            "start_date",
            "end_date",
            "counties",
            "hours_unit",
            "cofinancing_statement",
            "main_goal",
        ]
        help_texts = {
            **ProjectCardForm.Meta.help_texts,
            "slug": _(
                "The project's address on the public site: small letters, digits and hyphens."
            ),
        }

    field_order = ["template"]

    template = forms.ModelChoiceField(
        label=_("Start from the structure of"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("(nothing: an empty project)"),
        help_text=_(
            "Copies the template's target groups, goals, tasks, eligibility rules and scoring, "
            "consent texts, completion rules, certificate number formats and indicators. Never "
            "its people, applications, sessions or certificates."
        ),
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates.order_by("title")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("This address is used by the back office; choose another."), code="reserved"
            )
        return slug


class OrganisationForm(forms.ModelForm):
    """An applicant, partner or funding institution; NIP, REGON and KRS checked as everywhere."""

    class Meta:
        model = Organisation
        fields = ["name", "krs", "nip", "regon", "city", "website"]


class KrsLookupForm(forms.Form):
    krs = forms.CharField(label=_("KRS"), max_length=20)

    def clean_krs(self):
        try:
            return normalise_krs(self.cleaned_data["krs"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages, code="krs") from None


class TargetGroupForm(forms.ModelForm):
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    description = forms.CharField(
        label=_("Target group"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = TargetGroup
        fields = ["order", "description"]


class SpecificGoalForm(forms.ModelForm):
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    text = forms.CharField(
        label=_("Specific goal"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = SpecificGoal
        fields = ["order", "text"]


class TaskForm(forms.ModelForm):
    """A task; its counties are chosen among the project's own (choices given once per page)."""

    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    description = forms.CharField(
        label=_("Description"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    task_counties = forms.TypedMultipleChoiceField(
        label=_("Counties"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Task
        fields = ["order", "kind", "title", "description"]

    def __init__(self, *args, county_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_counties"].choices = county_choices
        if self.instance.pk and not self.is_bound:
            self.initial["task_counties"] = [unit.pk for unit in self.instance.counties.all()]


def structure_formsets(project, data=None):
    """The three formsets of a project's structure: target groups, specific goals, tasks.

    The counties of the tasks are the project's; their choices are read once, not per task.
    """
    counties = list(project.counties.order_by("code").values_list("pk", "name"))
    groups = TargetGroupFormSet(data, instance=project, prefix="groups")
    goals = SpecificGoalFormSet(data, instance=project, prefix="goals")
    tasks = TaskFormSet(
        data,
        instance=project,
        prefix="tasks",
        queryset=Task.objects.filter(project=project).prefetch_related(
            Prefetch("counties", queryset=Unit.objects.only("pk"))
        ),
        form_kwargs={"county_choices": counties},
    )
    return groups, goals, tasks


TargetGroupFormSet = forms.inlineformset_factory(
    Project,
    TargetGroup,
    form=TargetGroupForm,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
    absolute_max=60,
)
SpecificGoalFormSet = forms.inlineformset_factory(
    Project,
    SpecificGoal,
    form=SpecificGoalForm,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
    absolute_max=60,
)
TaskFormSet = forms.inlineformset_factory(
    Project,
    Task,
    form=TaskForm,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
    absolute_max=60,
)


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


class LogoMarkForm(forms.Form):
    """A mark of a logo strip: its caption, and an image checked by `logo_images`."""

    caption = forms.CharField(
        label=_("caption"),
        max_length=LOGO_CAPTION_MAX_LENGTH,
        help_text=_(
            "What the mark says, e.g. “Unia Europejska – Europejski Fundusz Społeczny”. It is "
            "the image's alternative text, and is printed as text when there is no image."
        ),
    )
    image = forms.FileField(
        label=_("image"),
        required=False,
        help_text=_(
            "PNG or JPEG, at most 2 MB and 4000 pixels a side; the mark exactly as the "
            "programme's rules give it. Without an image the caption is printed."
        ),
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
    )

    def clean_caption(self):
        caption = " ".join(self.cleaned_data["caption"].split())
        if not caption:
            raise ValidationError(_("Give the mark's caption."), code="required")
        return caption

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return logo_images.check_logo(upload) if upload else None


class LogoMarkChangeForm(LogoMarkForm):
    """A mark being changed: a new caption, a new image, or (if it has one) no image."""

    remove_image = forms.BooleanField(label=_("remove the image"), required=False)

    def __init__(self, *args, has_image: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_image:
            del self.fields["remove_image"]
