"""An attendance list that cannot be made is a Polish page, not a 500 or a dead process."""

import json

import pytest

from lider.core import render_pool
from tests.delivery.conftest import url

pytestmark = pytest.mark.django_db


def test_attendance_list_that_typst_cannot_make_is_a_polish_page(client, setup, monkeypatch):
    client.force_login(setup["trainer"])
    address = url("delivery:list_pdf", setup, pk=setup["session"].pk)
    real = render_pool.compile_pdf

    def panicking(path, root, inputs):
        # What typst 0.15 panics on, slipped past the bounds: a word of 40,000 "ł".
        payload = json.loads(inputs["data"])
        payload["cofinancing"] = "ł" * 40_000
        return real(path, root, {"data": json.dumps(payload, ensure_ascii=False)})

    monkeypatch.setattr(render_pool, "compile_pdf", panicking)
    response = client.get(address)
    page = response.content.decode()
    assert response.status_code == 422
    assert "<h1>Nie udało się przygotować dokumentu</h1>" in page
    assert "Błąd został zapisany" in page
    monkeypatch.undo()
    assert client.get(address).content.startswith(b"%PDF")


def test_attendance_list_over_the_time_limit_is_a_polish_503(client, setup, settings):
    client.force_login(setup["trainer"])
    settings.DOCUMENT_RENDER_TIMEOUT = 0.000001
    response = client.get(url("delivery:list_pdf", setup, pk=setup["session"].pk))
    assert response.status_code == 503
    assert "trwało zbyt długo i zostało przerwane" in response.content.decode()
