"""Restriction of processing and objection (GDPR art. 18 and 21) of a person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lider.people.models.subjects import Person


class Restriction(models.Model):
    """The person asked to restrict processing (GDPR art. 18) or objected to it (art. 21).

    While it stands the person is left out of exports and e-mails and takes no new
    application, enrolment or place; what is already recorded is kept as evidence. Set and
    lifted through `lider.people.restrictions`, each with an audit entry.
    """

    class Kind(models.TextChoices):
        RESTRICTION = "restriction", _("restriction of processing (art. 18 GDPR)")
        OBJECTION = "objection", _("objection to processing (art. 21 GDPR)")

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="restriction", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    since = models.DateTimeField(_("since"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"
