"""A correction of their data proposed by a participant (GDPR art. 16), for the office to decide.

Its own module to keep `people.models` short; `people.models` imports it, so it is a model of
the `people` app like the others.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Correction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the office")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("person"),
    )
    # {field: [value recorded when proposed, value proposed]}, as text.
    changes = models.JSONField(_("proposed changes"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason for rejecting"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("proposed correction")
        verbose_name_plural = _("proposed corrections")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="correction_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.proposed_at:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def rows(self) -> list[tuple[str, str, str]]:
        """(field label, recorded, proposed) for showing it."""
        from lider.people.models import Person

        return [
            (Person._meta.get_field(name).verbose_name, old or "—", new or "—")
            for name, (old, new) in self.changes.items()
        ]
