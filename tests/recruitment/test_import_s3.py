"""The import file waiting for confirmation lives in the shared store (a local moto S3
server): written at upload, read by the preview and the import, deleted after either, purged
when its preview expires."""

import io
import time

import pytest
from django.core.management import call_command

from lider.core.permissions import Role
from lider.recruitment.models import Application
from tests.factories import member
from tests.people.test_importing import row
from tests.recruitment.test_import import confirm, csv_file, upload
from tests.s3 import keys

pytestmark = pytest.mark.django_db


def test_an_import_file_lives_in_the_bucket_until_it_is_imported(
    client, project, s3_server, s3_storage
):
    client.force_login(member(project, Role.OFFICE))

    preview = upload(client, project, csv_file(row()))

    [name] = keys(s3_server, s3_storage)
    assert name.startswith("imports/") and name.endswith(".csv")
    assert "Gotowe do importu" in client.get(preview).content.decode()
    assert confirm(client, preview, {"consents_signed": "on"}).status_code == 302
    assert Application.objects.filter(project=project).count() == 1
    assert keys(s3_server, s3_storage) == []


def test_cancelled_and_expired_import_files_are_deleted_from_the_bucket(
    client, project, s3_server, s3_storage, settings
):
    settings.LIDER_IMPORT_PREVIEW_MINUTES = 30
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(row()))
    client.post(preview + "anuluj/")
    assert keys(s3_server, s3_storage) == []

    upload(client, project, csv_file(row()))
    upload(client, project, csv_file(row()))
    call_command("purge_import_files", stdout=io.StringIO())
    assert len(keys(s3_server, s3_storage)) == 2  # not expired yet

    from lider.recruitment.imports import purge_expired

    assert purge_expired(now=time.time() + 31 * 60) == 2
    assert keys(s3_server, s3_storage) == []
