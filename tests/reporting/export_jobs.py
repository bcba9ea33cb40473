"""Getting a monitoring export as a person does: ask for it (POST), the job runs (inline with
the immediate tasks backend, once the request's transaction commits), download it from the
job's page."""

from urllib.parse import urlsplit

from django.test import TestCase
from django.urls import resolve, reverse


def start(client, slug: str, profile: str):
    """POST for the file; the response (a redirect to the job's page when accepted)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("reporting:export", kwargs={"slug": slug, "profile": profile}))


def job_pk(response) -> int:
    return resolve(urlsplit(response.url).path).kwargs["pk"]


def download(client, slug: str, profile: str):
    """The file's response, through the job's page (or the refusal of the request for it)."""
    started = start(client, slug, profile)
    if started.status_code != 302:
        return started
    page = client.get(started.url)
    assert page.status_code == 200
    file_url = reverse("reporting:export_file", kwargs={"slug": slug, "pk": job_pk(started)})
    assert file_url in page.content.decode()
    return client.get(file_url)
