"""The sections of a project's back office, as the project page lists them.

Apps above `projects` register their sections here (the `website` app does it for all of them
at start-up), so this layer never imports them. An item shows only to roles allowed to open
it: the permission is read from the view the URL resolves to, the one declared with
`project_view`, so the menu and the access check cannot disagree.
"""

from dataclasses import dataclass

from django.urls import resolve, reverse

from lider.core.permissions import PERMISSIONS, allows


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    order: int
    edit: bool = False  # a page for changing, hidden when the project is read-only


SECTIONS: list[Section] = []


def register(label, url_name: str, *, order: int = 100, edit: bool = False) -> None:
    if all(section.url_name != url_name for section in SECTIONS):
        SECTIONS.append(Section(label, url_name, order, edit))
        SECTIONS.sort(key=lambda section: section.order)


def sections_for(project, roles) -> list[tuple[str, str, bool]]:
    """(label, url, edit) of the sections these roles may open."""
    shown = []
    for section in SECTIONS:
        url = reverse(section.url_name, kwargs={"slug": project.slug})
        permission = getattr(resolve(url).func, "lider_permission", None)
        if permission in PERMISSIONS and allows(roles, permission):
            shown.append((section.label, url, section.edit))
    return shown
