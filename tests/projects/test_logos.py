"""Logo strips: the checked image, the writes, the strip a project prints, the page and the
public pages."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.projects import logo_images, logos
from lider.projects.forms import LogoMarkForm
from lider.projects.models import LOGO_STRIP_MAX_MARKS, LogoMark, ProgrammeNode
from tests.factories import ProgrammeNodeFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

KL = "Kapitał Ludzki – Narodowa Strategia Spójności"
EU = "Unia Europejska – Europejski Fundusz Społeczny"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logos._svg.cache_clear()
    return tmp_path


def picture(kind="PNG", size=(120, 60), colour=(0, 51, 153)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


def noise() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 80).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def programme_project():
    """A project under a sub-measure of a programme, as on a real installation."""
    root = ProgrammeNode.objects.create(level="programme", code="FERS", name="FERS 2021–2027")
    leaf = ProgrammeNodeFactory(parent=root)
    return ProjectFactory(classification=leaf), root


# The image


def test_check_logo_keeps_a_png_as_a_clean_png_named_by_its_checksum():
    logo = logo_images.check_logo(upload(picture()))
    assert logo.png.startswith(b"\x89PNG") and (logo.width, logo.height) == (120, 60)
    assert logo.name.startswith("logos/") and logo.name.endswith(".png") and len(logo.name) == 74


def test_check_logo_turns_a_jpeg_into_a_png():
    logo = logo_images.check_logo(upload(picture("JPEG"), "logo.jpg", "image/jpeg"))
    assert logo.png.startswith(b"\x89PNG")


def test_check_logo_drops_what_follows_the_picture():
    hidden = picture() + b"%PDF-1.7 hidden second file"
    logo = logo_images.check_logo(upload(hidden))
    assert b"%PDF" not in logo.png


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"not an image at all", "logo.png", "file_type"),  # a fake PNG: the name lies
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "file_type",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "logo.png", "damaged"),  # PNG header, no image
        (noise()[:3000], "logo.png", "damaged"),  # truncated
        (picture("GIF"), "logo.png", "file_type"),
        (picture(size=(5000, 20)), "logo.png", "too_many_pixels"),
        (picture(size=(3000, 3000)), "logo.png", "too_many_pixels"),  # 9 million in all
        (picture(size=(8, 8)), "logo.png", "too_few_pixels"),
    ],
)
def test_check_logo_refuses_what_is_not_a_logo(data, name, code):
    with pytest.raises(ValidationError) as refused:
        logo_images.check_logo(upload(data, name))
    assert refused.value.code == code


def test_check_logo_refuses_an_oversized_file():
    with pytest.raises(ValidationError) as refused:
        logo_images.check_logo(upload(picture() + b"\x00" * (logo_images.MAX_BYTES + 1)))
    assert refused.value.code == "too_large"


def test_form_bounds_the_caption():
    assert not LogoMarkForm({"caption": "x" * 201}).is_valid()
    assert not LogoMarkForm({"caption": "Unia\x00Europejska"}).is_valid()
    assert not LogoMarkForm({"caption": "   "}).is_valid()
    form = LogoMarkForm({"caption": "  Unia   Europejska "})
    assert form.is_valid() and form.cleaned_data["caption"] == "Unia Europejska"


def test_form_checks_the_real_file_type():
    form = LogoMarkForm({"caption": EU}, {"image": upload(b"GIF89a fake", "logo.png")})
    assert not form.is_valid() and form.errors["image"]


# The writes and the strip a project prints


def test_a_project_prints_its_programme_strip_until_it_has_its_own():
    project, root = programme_project()
    logos.add_mark(root, actor=None, caption=KL)
    logos.add_mark(root, actor=None, caption=EU)
    strip = logos.strip_for(project)
    assert [m.caption for m in strip.marks] == [KL, EU] and not strip.own
    logos.copy_strip(root, project, actor=None)
    logos.add_mark(project, actor=None, caption="Partner")
    strip = logos.strip_for(project)
    assert strip.own and [m.caption for m in strip.marks] == [KL, EU, "Partner"]
    assert [m.caption for m in logos.strip_for(ProjectFactory(classification=root)).marks] == [
        KL,
        EU,
    ]
    assert logos.drop_project_strip(project, actor=None) == 3
    assert [m.programme_id for m in logos.strip_for(project).marks] == [root.pk, root.pk]


def test_the_programme_strip_is_found_four_levels_up_and_no_other_programme_s(
    django_assert_num_queries,
):
    node = root = ProgrammeNode.objects.create(level="programme", code="PO KL", name="PO KL")
    for level, code in [("priority", "VII"), ("measure", "7.2"), ("submeasure", "7.2.2")]:
        node = ProgrammeNode.objects.create(parent=node, level=level, code=code, name=code)
    other = ProgrammeNode.objects.create(level="programme", code="FERS", name="FERS")
    logos.add_mark(other, actor=None, caption="FERS")
    logos.add_mark(root, actor=None, caption=KL)
    logos.add_mark(root, actor=None, caption=EU)
    project = ProjectFactory(classification=node)
    with django_assert_num_queries(1):
        strip = logos.strip_for(project)
    assert [m.caption for m in strip.marks] == [KL, EU]


def test_writes_are_audited_and_keep_the_order():
    project, _root = programme_project()
    coordinator = member(project, Role.COORDINATOR)
    first = logos.add_mark(project, actor=coordinator, caption=EU)
    second = logos.add_mark(project, actor=coordinator, caption=KL)
    logos.move_mark(second, actor=coordinator, step=-1)
    assert [m.caption for m in logos.strip_for(project).marks] == [KL, EU]
    logos.delete_mark(first, actor=coordinator)
    assert [(m.caption, m.order) for m in LogoMark.objects.filter(project=project)] == [(KL, 0)]
    entries = AuditEntry.objects.filter(project_id=project.pk, actor=coordinator)
    assert entries.count() == 4


def test_a_strip_is_bounded_and_a_programme_strip_sits_at_the_top():
    project, root = programme_project()
    for n in range(LOGO_STRIP_MAX_MARKS):
        logos.add_mark(project, actor=None, caption=f"Znak {n}")
    with pytest.raises(ValidationError):
        logos.add_mark(project, actor=None, caption="Jeden za dużo")
    with pytest.raises(ValueError):
        logos.add_mark(project.classification, actor=None, caption="Poddziałanie")


def test_the_database_refuses_a_mark_with_two_owners_or_none():
    project, root = programme_project()
    with pytest.raises(IntegrityError):
        LogoMark.objects.create(project=project, programme=root, caption=EU)


def test_an_image_is_stored_once_and_printed_as_svg():
    project, _root = programme_project()
    logo = logo_images.check_logo(upload(picture()))
    mark = logos.add_mark(project, actor=None, caption=EU, image=logo)
    again = logos.add_mark(project, actor=None, caption=KL, image=logo)
    assert mark.image == again.image == logo.name and default_storage.exists(logo.name)
    printed = logos.document_logos(logos.printed_marks(project))
    assert printed[0].caption == EU and "data:image/png;base64," in printed[0].svg


def test_a_missing_image_prints_its_caption():
    printed = logos.document_logos([{"caption": EU, "image": "logos/" + "0" * 64 + ".png"}])
    assert printed[0].caption == EU and printed[0].svg == ""


# The back-office page


def strip_url(project):
    return reverse("projects:logos", kwargs={"slug": project.slug})


def test_coordinator_customises_and_edits_the_strip(client, media):
    project, root = programme_project()
    logos.add_mark(root, actor=None, caption=KL)
    coordinator = member(project, Role.COORDINATOR)
    client.force_login(coordinator)
    page = client.get(strip_url(project)).content.decode()
    assert KL in page and "FERS" in page

    client.post(strip_url(project), {"action": "customise"})
    assert list(project.logo_marks.values_list("caption", flat=True)) == [KL]
    response = client.post(
        strip_url(project),
        {"action": "add", "new-caption": EU, "new-image": upload(picture())},
    )
    assert response.status_code == 302
    added = project.logo_marks.get(caption=EU)
    assert added.image and (added.width, added.height) == (120, 60)
    assert root.logo_marks.count() == 1  # the programme's strip is untouched

    kl = project.logo_marks.get(caption=KL)
    client.post(strip_url(project), {"action": "up", "mark": added.pk})
    assert [m.caption for m in logos.strip_for(project).marks] == [EU, KL]
    client.post(strip_url(project), {"action": "save", "mark": kl.pk, f"m{kl.pk}-caption": "KL"})
    kl.refresh_from_db()
    assert kl.caption == "KL"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "add", "new-caption": "x" * 5000},
        {"action": "add", "new-caption": "Unia\x00Europejska"},
        {"action": "save", "mark": "abc"},
        {"action": "save", "mark": "9" * 30},
        {"action": "delete", "mark": "-1"},
        {"action": "explode"},
        {},
    ],
)
def test_hostile_posts_change_nothing_and_never_fail(client, data):
    project, _root = programme_project()
    client.force_login(member(project, Role.COORDINATOR))
    response = client.post(strip_url(project), data)
    assert response.status_code == 200
    assert not LogoMark.objects.exists()


def test_a_fake_png_is_refused_on_the_page(client):
    project, _root = programme_project()
    client.force_login(member(project, Role.COORDINATOR))
    response = client.post(
        strip_url(project),
        {"action": "add", "new-caption": EU, "new-image": upload(b"<?php echo 1; ?>", "a.png")},
    )
    assert "PNG lub JPEG" in response.content.decode()
    assert not LogoMark.objects.exists()


def test_a_mark_of_another_project_is_not_reached(client):
    project, _root = programme_project()
    other = ProjectFactory()
    theirs = logos.add_mark(other, actor=None, caption=EU)
    client.force_login(member(project, Role.COORDINATOR))
    client.post(strip_url(project), {"action": "delete", "mark": theirs.pk})
    assert LogoMark.objects.filter(pk=theirs.pk).exists()


def test_only_an_installation_administrator_sets_the_programme_strip(client):
    project, root = programme_project()
    logos.add_mark(project, actor=None, caption=EU)
    client.force_login(member(project, Role.COORDINATOR))
    client.post(strip_url(project), {"action": "to_programme"})
    assert not root.logo_marks.exists()


def test_the_project_page_links_to_the_strip_as_an_edit_action(client):
    project, _root = programme_project()
    client.force_login(member(project, Role.COORDINATOR))
    page = client.get(reverse("projects:detail", kwargs={"slug": project.slug})).content.decode()
    assert f'class="edit-action" href="{strip_url(project)}"' in page


# Public pages


def test_public_pages_show_the_strip_in_order_with_alt_texts(client):
    project, root = programme_project()
    logos.add_mark(root, actor=None, caption=KL)
    logos.add_mark(root, actor=None, caption=EU, image=logo_images.check_logo(upload(picture())))
    for name in ("website:project", "website:results"):
        page = client.get(reverse(name, kwargs={"slug": project.slug})).content.decode()
        strip = page[page.index('class="logo-strip"') :]
        assert f'<span class="logo-caption">{KL}</span>' in strip
        assert f'alt="{EU}"' in strip
        assert strip.index(KL) < strip.index(EU)


def test_a_changed_strip_reaches_the_cached_public_pages(client, settings):
    settings.LIDER_CACHE_PUBLIC_PAGES = True  # as with Redis
    project, root = programme_project()
    mark = logos.add_mark(root, actor=None, caption=KL)
    own = logos.add_mark(ProjectFactory(classification=root), actor=None, caption="Inny")
    address = reverse("website:project", kwargs={"slug": project.slug})
    assert KL in client.get(address).content.decode()
    logos.change_mark(mark, actor=None, caption="Kapitał Ludzki")
    assert "Kapitał Ludzki</span>" in client.get(address).content.decode()
    logos.copy_strip(root, project, actor=None)
    logos.add_mark(project, actor=None, caption="Partner projektu")
    assert "Partner projektu" in client.get(address).content.decode()
    logos.delete_mark(project.logo_marks.get(caption="Partner projektu"), actor=None)
    assert "Partner projektu" not in client.get(address).content.decode()
    assert own.caption not in client.get(address).content.decode()


def test_the_logo_image_is_served_only_when_a_strip_uses_it(client):
    project, _root = programme_project()
    logo = logo_images.check_logo(upload(picture()))
    mark = logos.add_mark(project, actor=None, caption=EU, image=logo)
    response = client.get(reverse("website:logo", kwargs={"name": mark.image_key}))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == logo.png
    key = mark.image_key
    hostile = ("0" * 64, "..%2f..%2fsettings", "A" * 64, key.upper(), f"{key}%0A", f"%0A{key}")
    for name in (*hostile, f"{key}%00", "a" * 5000, "-1", key[:-1], f"{key}0"):
        assert client.get(f"/logotypy/{name}.png").status_code == 404, name


def test_public_page_queries_do_not_grow_with_marks(client, django_assert_max_num_queries):
    project, root = programme_project()
    logos.add_mark(root, actor=None, caption=KL)
    address = reverse("website:project", kwargs={"slug": project.slug})
    client.get(address)  # the cached content is made once
    with django_assert_max_num_queries(50) as one:
        client.get(address)
    for caption in (EU, "Samorząd Województwa"):
        logos.add_mark(root, actor=None, caption=caption)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "Samorząd Województwa" in client.get(address).content.decode()


def test_an_installation_administrator_makes_a_project_strip_the_programme_s(client):
    from tests.core.test_permission_matrix import _log_in

    project, root = programme_project()
    sibling = ProjectFactory(classification=project.classification)
    administrator = member(project, Role.ADMINISTRATOR)
    _log_in(client, administrator, Role.ADMINISTRATOR)
    logos.add_mark(project, actor=administrator, caption=KL)
    logos.add_mark(project, actor=administrator, caption=EU)
    page = client.get(strip_url(project)).content.decode()
    assert 'value="to_programme"' in page
    client.post(strip_url(project), {"action": "to_programme"})
    assert list(root.logo_marks.values_list("caption", flat=True)) == [KL, EU]
    assert [m.caption for m in logos.strip_for(sibling).marks] == [KL, EU]
    assert AuditEntry.objects.filter(actor=administrator, object_repr=KL).count() == 2


def test_an_image_is_replaced_or_removed_on_the_page(client):
    project, _root = programme_project()
    mark = logos.add_mark(project, actor=None, caption=EU)
    client.force_login(member(project, Role.COORDINATOR))
    page = client.get(strip_url(project)).content.decode()
    assert "remove_image" not in page  # neither the new mark nor an image-less one offers it
    prefix = f"m{mark.pk}"
    client.post(
        strip_url(project),
        {
            "action": "save",
            "mark": mark.pk,
            f"{prefix}-caption": EU,
            f"{prefix}-image": upload(picture()),
        },
    )
    mark.refresh_from_db()
    assert mark.image and mark.width == 120
    assert f"{prefix}-remove_image" in client.get(strip_url(project)).content.decode()
    client.post(
        strip_url(project),
        {
            "action": "save",
            "mark": mark.pk,
            f"{prefix}-caption": EU,
            f"{prefix}-remove_image": "on",
        },
    )
    mark.refresh_from_db()
    assert (mark.image, mark.width, mark.height) == ("", None, None)


def test_strip_page_queries_do_not_grow_with_marks(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project, _root = programme_project()
    client.force_login(member(project, Role.COORDINATOR))
    logos.add_mark(project, actor=None, caption=KL, image=logo_images.check_logo(upload(picture())))
    with CaptureQueriesContext(connection) as one:
        assert client.get(strip_url(project)).status_code == 200
    for caption in (EU, "Partner"):
        logos.add_mark(project, actor=None, caption=caption)
    with django_assert_num_queries(len(one.captured_queries)):
        assert "Partner" in client.get(strip_url(project)).content.decode()
