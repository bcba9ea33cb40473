"""Logo images in an S3-compatible store (a local moto server): uploaded through the page,
kept under their checksum, served by the public view and printed from the bucket."""

import pytest
from django.urls import reverse

from lider.core.permissions import Role
from lider.projects import logos
from tests.factories import ProjectFactory, member
from tests.projects.test_logos import EU, picture, upload
from tests.s3 import keys

pytestmark = pytest.mark.django_db


def test_a_logo_goes_to_the_bucket_and_comes_back(
    client, s3_server, s3_storage, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # nothing may land on local disk
    logos._svg.cache_clear()
    project = ProjectFactory()
    client.force_login(member(project, Role.COORDINATOR))

    response = client.post(
        reverse("projects:logos", kwargs={"slug": project.slug}),
        {"action": "add", "new-caption": EU, "new-image": upload(picture())},
    )

    assert response.status_code == 302
    mark = project.logo_marks.get()
    assert keys(s3_server, s3_storage) == [mark.image]
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
    served = client.get(reverse("website:logo", kwargs={"name": mark.image_key}))
    assert served.status_code == 200 and served.content.startswith(b"\x89PNG")
    [printed] = logos.document_logos(logos.printed_marks(project))
    assert printed.caption == EU and "data:image/png;base64," in printed.svg
