"""The audit trail: who changed what, when, and who looked at or exported personal data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The key of `AuditEntry.note_values` listing the values that are message ids themselves.
TRANSLATED_VALUES = "_translated"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionDenied("Audit entries cannot be deleted.")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One change, status change, view of sensitive data or export. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        STATUS = "status", _("status changed")
        VIEW_SENSITIVE = "view_sensitive", _("viewed sensitive data")
        EXPORT = "export", _("exported personal data")
        GRANT = "grant", _("role granted")
        REVOKE = "revoke", _("role revoked")
        UNLOCK = "unlock", _("login lock lifted")
        INVITE = "invite", _("invitation")
        RESET_SECOND_FACTOR = "reset_2fa", _("second factor reset")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    # A plain id, not a foreign key: core knows no domain, and entries outlive projects.
    project_id = models.BigIntegerField(_("project"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    # None: the note is someone's own words (a reason), shown as written. A dict: the note is
    # an English message id, translated for the reader and filled with these values (stored
    # raw, as Django's LogEntry stores its change message); see `lider.core.audit.Note`.
    note_values = models.JSONField(_("values of the note"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # A project's trail, newest first, walks this index to its page.
            models.Index(fields=["project_id", "at", "id"], name="audit_by_project_time"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries cannot be deleted.")

    @property
    def note_text(self) -> str:
        """The note in the reader's language."""
        if self.note_values is None or not self.note:
            return self.note
        values = dict(self.note_values)
        for name in values.pop(TRANSLATED_VALUES, ()):
            values[name] = gettext(values[name])
        text = gettext(self.note)
        try:
            return text % values if values else text
        except (KeyError, TypeError, ValueError):
            return self.note


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing per (login, address) and per address.

    `username` holds the normalised login (see `lider.core.accounts.normalise_login`).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip_address", "at"])]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.ip_address or ''}"
