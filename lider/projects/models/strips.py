"""Logo strips: the marks a programme or a project prints (`lider.projects.logos`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lider.projects.models.card import Project
from lider.projects.models.programme import ProgrammeNode

# A caption is an alternative text and, without an image, the printed mark: a line or two.
LOGO_CAPTION_MAX_LENGTH = 200
# More marks than this do not fit a document's header strip.
LOGO_STRIP_MAX_MARKS = 8


class LogoMark(models.Model):
    """One mark of a logo strip: a caption with an optional image, in the strip's order.

    A strip belongs to a programme (the marks its rules prescribe, in their order, on the
    programme node at the top of the tree) or to one project (its own strip, which replaces the
    programme's for that project: `lider.projects.logos.strip_for`). A mark without an image
    prints its caption as text; nobody draws an official mark Lider was not given.
    The image is a PNG in the file storage named by its checksum (`logo_images`), never
    replaced or deleted, so documents that printed it print it again the same.
    """

    programme = models.ForeignKey(
        ProgrammeNode,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="logo_marks",
        verbose_name=_("programme"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="logo_marks",
        verbose_name=_("project"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    caption = models.CharField(
        _("caption"),
        max_length=LOGO_CAPTION_MAX_LENGTH,
        help_text=_(
            "What the mark says, e.g. “Unia Europejska – Europejski Fundusz Społeczny”: the "
            "alternative text of the image, printed as text when there is no image."
        ),
    )
    image = models.CharField(_("image"), max_length=100, blank=True)
    width = models.PositiveIntegerField(_("width in pixels"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height in pixels"), null=True, blank=True)

    class Meta:
        verbose_name = _("logo mark")
        verbose_name_plural = _("logo marks")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=True, project__isnull=False)
                | models.Q(programme__isnull=False, project__isnull=True),
                name="logo_mark_one_owner",
            ),
            models.CheckConstraint(condition=~models.Q(caption=""), name="logo_mark_caption"),
            models.CheckConstraint(
                condition=models.Q(image="", width__isnull=True, height__isnull=True)
                | (~models.Q(image="") & models.Q(width__gt=0, height__gt=0)),
                name="logo_mark_image_size",
            ),
        ]

    def __str__(self) -> str:
        return self.caption

    @property
    def image_key(self) -> str:
        """The image's checksum, as its public address takes it ("" without an image)."""
        return self.image.removeprefix("logos/").removesuffix(".png")
