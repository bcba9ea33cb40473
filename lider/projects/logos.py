"""Logo strips: which marks a project prints, and every write to them (audited).

A project prints its own strip when it has one, else the strip of its programme (the node at
the top of its classification), where an installation administrator keeps the marks the
programme's rules prescribe. A coordinator who needs something else for one project (a
partner's mark, a regional programme's extra line) copies the programme's strip into the
project and edits it there; dropping the project's strip returns it to the programme's.
"""

import io
import logging
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.documents import Logo, raster_svg
from lider.projects import logo_images
from lider.projects.models import LOGO_STRIP_MAX_MARKS, LogoMark, ProgrammeNode, Project

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Strip:
    """The marks a project prints, and whether they are its own (else its programme's)."""

    marks: list[LogoMark]
    own: bool


def programme_of(project: Project) -> ProgrammeNode:
    """The programme node at the top of the project's classification."""
    return project.classification.lineage()[0]


def strip_for(project: Project) -> Strip:
    """The strip the project prints: its own marks, or else its programme's (one query)."""
    leaf = project.classification_id
    # Programme marks sit only on the top node, so a mark on the classification or on any
    # node above it (the tree has four levels) is one of the programme's.
    above = (
        Q(programme_id=leaf)
        | Q(programme__children=leaf)
        | Q(programme__children__children=leaf)
        | Q(programme__children__children__children=leaf)
    )
    marks = list(LogoMark.objects.filter(Q(project_id=project.pk) | above).distinct())
    own = [mark for mark in marks if mark.project_id is not None]
    if own:
        return Strip(own, True)
    return Strip(marks, False)


def printed_marks(project: Project) -> list[dict]:
    """The strip as documents keep it: [{"caption", "image"}], the image a storage name."""
    return [{"caption": m.caption, "image": m.image} for m in strip_for(project).marks]


# Writes. `owner` is a Project (its own strip) or a programme ProgrammeNode.


def _marks(owner):
    if isinstance(owner, Project):
        return LogoMark.objects.filter(project=owner)
    return LogoMark.objects.filter(programme=owner)


def _owner_fields(owner) -> dict:
    if isinstance(owner, Project):
        return {"project": owner}
    if owner.parent_id is not None:
        raise ValueError("A programme's strip belongs to the node at the top of its tree.")
    return {"programme": owner}


def _check_room(owner, adding: int = 1) -> None:
    if _marks(owner).count() + adding > LOGO_STRIP_MAX_MARKS:
        raise ValidationError(
            _("A strip holds at most %(max)d marks.") % {"max": LOGO_STRIP_MAX_MARKS},
            code="too_many",
        )


def _lock(owner) -> None:
    """Serialise writes to one strip (orders are renumbered)."""
    type(owner).objects.select_for_update().filter(pk=owner.pk).first()


@transaction.atomic
def add_mark(owner, *, actor, caption: str, image=None) -> LogoMark:
    """A new mark at the end of the strip; ``image`` a checked `logo_images.LogoImage`."""
    _lock(owner)
    _check_room(owner)
    last = _marks(owner).aggregate(last=Max("order"))["last"]
    mark = LogoMark(**_owner_fields(owner), order=0 if last is None else last + 1, caption=caption)
    if image is not None:
        _set_image(mark, image)
    mark.full_clean()
    mark.save()
    audit.created(mark, actor=actor)
    return mark


@transaction.atomic
def change_mark(mark: LogoMark, *, actor, caption: str, image=None, remove_image=False):
    """A new caption, and a new image (``image``) or none (``remove_image``)."""
    with audit.tracking(mark, actor=actor, fields={"caption", "image"}):
        mark.caption = caption
        if image is not None:
            _set_image(mark, image)
        elif remove_image:
            mark.image, mark.width, mark.height = "", None, None
        mark.full_clean()
        mark.save(update_fields=["caption", "image", "width", "height"])
    return mark


def _set_image(mark: LogoMark, image) -> None:
    # Stored at once: a rolled-back transaction leaves a file no row names, which is harmless
    # (named by its checksum, it is the same picture if uploaded again).
    mark.image = logo_images.store(image)
    mark.width, mark.height = image.width, image.height


@transaction.atomic
def delete_mark(mark: LogoMark, *, actor) -> None:
    """Remove a mark; its image file stays (certificates issued with it print it again)."""
    owner = mark.project or mark.programme
    _lock(owner)
    audit.deleted(mark, actor=actor)
    mark.delete()
    _renumber(list(_marks(owner)))


@transaction.atomic
def move_mark(mark: LogoMark, *, actor, step: int) -> LogoMark:
    """Move a mark one place earlier (step -1) or later (step 1) in its strip."""
    owner = mark.project or mark.programme
    _lock(owner)
    marks = list(_marks(owner))
    index = next(i for i, m in enumerate(marks) if m.pk == mark.pk)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(marks):
        return mark
    marks[index], marks[target] = marks[target], marks[index]
    _renumber(marks)
    audit.record(
        actor,
        audit.Action.UPDATE,
        mark,
        note=audit.Note(gettext_lazy("Moved to place %(place)s in the strip."), place=target + 1),
    )
    return mark


def _renumber(marks: list[LogoMark]) -> None:
    for order, mark in enumerate(marks):
        if mark.order != order:
            mark.order = order
            mark.save(update_fields=["order"])


@transaction.atomic
def copy_strip(source, target, *, actor) -> list[LogoMark]:
    """Replace the target's strip with a copy of the source's (same captions, same images):
    a project customising its programme's strip, or a project's strip made its programme's."""
    _lock(target)
    for mark in list(_marks(target)):
        audit.deleted(mark, actor=actor)
        mark.delete()
    copies = []
    for order, mark in enumerate(_marks(source)):
        copy = LogoMark.objects.create(
            **_owner_fields(target),
            order=order,
            caption=mark.caption,
            image=mark.image,
            width=mark.width,
            height=mark.height,
        )
        audit.created(copy, actor=actor)
        copies.append(copy)
    return copies


@transaction.atomic
def drop_project_strip(project: Project, *, actor) -> int:
    """The project's own marks removed: it prints its programme's strip again."""
    _lock(project)
    marks = list(_marks(project))
    for mark in marks:
        audit.deleted(mark, actor=actor)
        mark.delete()
    return len(marks)


EU_FLAG = Path(settings.BASE_DIR) / "static" / "img" / "eu-flag.svg"


@cache
def eu_flag() -> Logo:
    """What a document prints when neither the project nor its programme has a strip (and
    what certificates issued before strips were kept print): the EU flag, without a caption."""
    return Logo(caption="", svg=EU_FLAG.read_text(encoding="utf-8"))


def document_logos(marks: list[dict]) -> list[Logo]:
    """The strip a document prints, the one place that decides it for certificates,
    attendance lists and reports: the printed marks ([{"caption", "image"}], as
    `printed_marks` gives them and certificates keep them), or the EU flag alone when there
    are none. An image the storage no longer has prints its caption."""
    if not marks:
        return [eu_flag()]
    strip = []
    for mark in marks:
        svg = ""
        if mark.get("image"):
            try:
                svg = _svg(mark["image"])
            except OSError:
                logger.warning("Logo image %s is missing from the storage.", mark["image"])
        strip.append(Logo(caption=mark["caption"], svg=svg))
    return strip


@lru_cache(maxsize=32)  # a name is a checksum: it always means the same picture
def _svg(name: str) -> str:
    from PIL import Image

    png = logo_images.read(name)
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    return raster_svg(png, width, height)
