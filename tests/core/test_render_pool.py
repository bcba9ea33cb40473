"""A renderer failure is an error, never a dead process; every text in a document is bounded."""

import json
import os
import signal

import pytest
from django.utils import translation

from lider.core import documents, render_pool
from lider.core.render_pool import DocumentError, DocumentTimeout
from tests.core.test_documents import certificate, pages_text


def _panicking_inputs() -> dict[str, str]:
    """Inputs typst 0.15 panics on (a word of 32,768+ two-byte letters), past our own check."""
    inputs = documents._certificates_inputs([certificate()], "pl")
    payload = json.loads(inputs["data"])
    payload["certificates"][0]["cofinancing"] = "ł" * 40_000
    return {"data": json.dumps(payload, ensure_ascii=False)}


def _render_works() -> None:
    pdf = documents.render_certificate(certificate(full_name="Łucja Żak"))
    assert "Łucja Żak" in pages_text(pdf)[0]


def test_a_renderer_panic_is_an_error_and_the_process_survives():
    with pytest.raises(DocumentError) as error:
        documents._compile("certificate", _panicking_inputs())
    assert "renderer panic" in error.value.detail
    assert str(error.value.message).startswith("Nie udało się przygotować dokumentu.")
    _render_works()  # a fresh worker takes the next document


def test_a_worker_killed_from_outside_is_replaced(settings):
    _render_works()
    for slot in render_pool.pool().slots:
        if slot.worker is not None:
            os.kill(slot.worker.process.pid, signal.SIGKILL)
            slot.worker.process.wait()
    _render_works()


def test_a_worker_that_dies_while_compiling_is_an_error(monkeypatch):
    _render_works()
    real_receive = render_pool._Worker.receive

    def kill_then_receive(worker, deadline):
        os.kill(worker.process.pid, signal.SIGKILL)
        return real_receive(worker, deadline)

    monkeypatch.setattr(render_pool._Worker, "receive", kill_then_receive)
    with pytest.raises(DocumentError) as error:
        documents.render_certificate(certificate())
    assert "stopped" in error.value.detail
    monkeypatch.undo()
    _render_works()


def test_a_compile_over_the_time_limit_is_stopped(settings):
    _render_works()
    settings.DOCUMENT_RENDER_TIMEOUT = 0.000001
    with pytest.raises(DocumentTimeout) as error:
        documents.render_certificate(certificate())
    assert error.value.status == 503
    settings.DOCUMENT_RENDER_TIMEOUT = 45
    _render_works()


def test_an_over_long_text_is_refused_before_the_renderer(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the renderer was called")

    monkeypatch.setattr(render_pool, "compile_pdf", never)
    with pytest.raises(DocumentError) as error:
        documents.render_certificate(certificate(cofinancing="ł" * 40_000))
    assert error.value.status == 422
    assert "jest za długi, by umieścić go w dokumencie (znaków: 40000, najwyżej 5000)" in str(
        error.value.message
    )
    with translation.override("en"):
        assert "is too long for a document (40000 characters, at most 5000)" in str(
            error.value.message
        )


def test_generated_svg_is_not_bounded_as_text():
    logo = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 6">' + " " * 6000 + "</svg>"
    pdf = documents.render_certificate(certificate(logos=[logo]))
    assert pdf.startswith(b"%PDF")


def test_a_compile_error_keeps_the_worker(tmp_path):
    broken = tmp_path / "broken.typ"
    broken.write_text("#let x = (", encoding="utf-8")
    with pytest.raises(DocumentError) as error:
        render_pool.compile_pdf(broken, tmp_path, {})
    assert error.value.detail
    _render_works()


def test_a_worker_holding_much_memory_after_a_document_is_replaced(settings):
    _render_works()
    # The slot just used is the one the next document takes (last in, first out); another
    # slot may still hold a worker an earlier test killed.
    slot = render_pool.pool().free.queue[-1]
    first = slot.worker.process.pid
    assert slot.worker.resident_bytes() > 1024 * 1024
    settings.DOCUMENT_RENDER_RECYCLE_MB = 1
    _render_works()
    assert slot.worker is None  # replaced after the document, not during it
    settings.DOCUMENT_RENDER_RECYCLE_MB = 512
    _render_works()
    _render_works()
    assert slot.worker is not None and slot.worker.process.pid != first
    second = slot.worker.process.pid
    _render_works()
    assert slot.worker.process.pid == second  # a lean worker is reused
