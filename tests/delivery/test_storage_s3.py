"""Signed scans in an S3-compatible store (a local moto server): uploaded through the page,
kept as a private object, read back through the permission-checked view, deleted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lider.core.permissions import Role
from tests.delivery import scan_files
from tests.delivery.conftest import url
from tests.factories import member
from tests.s3 import keys

pytestmark = pytest.mark.django_db


def test_a_signed_scan_goes_to_the_bucket_and_comes_back_through_the_view(
    client, setup, s3_server, s3_storage, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # nothing may land on local disk
    session = setup["session"]
    data = scan_files.jpeg()
    client.force_login(setup["office"])

    response = client.post(
        url("delivery:upload_signed_list", setup, pk=session.pk),
        {"scan": SimpleUploadedFile("lista.jpg", data)},
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert keys(s3_server, s3_storage) == [session.signed_list.name]
    assert session.signed_list.name.startswith("signed-lists/")
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]

    client.force_login(member(setup["project"], Role.AUDITOR))
    download = client.get(url("delivery:signed_list", setup, pk=session.pk))
    assert download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content) == data

    session.signed_list.delete(save=True)
    assert keys(s3_server, s3_storage) == []
    assert client.get(url("delivery:signed_list", setup, pk=session.pk)).status_code == 404
