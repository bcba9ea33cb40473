"""The choices of the monitoring record shared by people and participants."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "K", _("woman")
    MALE = "M", _("man")


class Answer(models.TextChoices):
    """Answers to the sensitive monitoring questions; refusing to answer is allowed."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    REFUSED = "refused", _("refuses to answer")


class Education(models.TextChoices):
    """ISCED levels, the canonical codes that every export profile maps to its own labels."""

    BELOW_PRIMARY = "isced0", _("below primary (ISCED 0)")
    PRIMARY = "isced1", _("primary (ISCED 1)")
    LOWER_SECONDARY = "isced2", _("lower secondary (ISCED 2)")
    UPPER_SECONDARY = "isced3", _("upper secondary (ISCED 3)")
    POST_SECONDARY = "isced4", _("post-secondary (ISCED 4)")
    TERTIARY = "isced5", _("tertiary (ISCED 5–8)")


class LabourStatus(models.TextChoices):
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("unemployed, registered at a labour office")
    UNEMPLOYED_UNREGISTERED = "unemployed_unregistered", _("unemployed, not registered")
    INACTIVE = "inactive", _("economically inactive")
    EMPLOYED = "employed", _("employed")


class LabourDetail(models.TextChoices):
    """The 'w tym' sub-status of the monitoring forms."""

    NONE = "", _("—")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed")
    IN_EDUCATION = "in_education", _("in education or training")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    PUBLIC_ADMINISTRATION = "public_administration", _("works in public administration")
    NGO = "ngo", _("works in a non-governmental organisation")
    SME = "sme", _("works in a micro, small or medium enterprise")
    LARGE_ENTERPRISE = "large_enterprise", _("works in a large enterprise")
    FARMER = "farmer", _("farmer")
    OTHER = "other", _("other")
