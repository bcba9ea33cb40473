"""Documents are compiled in worker processes, so a renderer failure is an error, never a crash.

typst runs as native code inside Python: a panic in it (a 32,768-letter word once did it)
raises pyo3's ``PanicException``, which is not an ``Exception``, may leave the compiler
unusable, and can take the whole server process with it; a loop or a huge document could hold
a request forever. So each process keeps a small pool of persistent child processes
(``lider.core.render_worker``), each holding its warm compilers, and sends them the prepared
inputs through a pipe. A compile error, a panic, a crash of the child or a compile over the
time limit raises ``DocumentError`` here; the child that failed is replaced on the next
document. The pipe costs a fraction of a millisecond per document.

Settings: ``DOCUMENT_RENDER_WORKERS`` (children per process, default 2; one is started per
document being made at the same time) and ``DOCUMENT_RENDER_TIMEOUT`` (seconds, default 45:
under the 60 s after which ``lider serve`` replaces a stuck web worker, so the user gets the
explanation, not a gateway error). A child left holding more than ``DOCUMENT_RENDER_RECYCLE_MB``
(default 512) after a document (500 certificates in one PDF take about 400 MB) is replaced,
so a big document's memory is not kept for the life of the server.
"""

import atexit
import contextlib
import json
import logging
import os
import queue
import selectors
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lider.core import render_worker

logger = logging.getLogger("lider.documents")
WORKER = Path(render_worker.__file__)


class DocumentError(Exception):
    """A document could not be made; ``message`` is for the user, ``status`` for the response."""

    status = 422

    def __init__(self, message=None, *, detail: str = ""):
        self.message = message or _(
            "The document could not be made. The error has been recorded; please try again "
            "later or tell the administrator."
        )
        self.detail = detail
        super().__init__(str(self.message) + (f" ({detail})" if detail else ""))


class DocumentTimeout(DocumentError):
    status = 503


class _WorkerGone(Exception):
    pass


class _Worker:
    """One child process and the pipes to it."""

    def __init__(self):
        self.process = subprocess.Popen(
            # -P: the script's folder (lider/core) is not put on sys.path, so no module of
            # ours can shadow one the worker imports.
            [sys.executable, "-P", str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "RUST_BACKTRACE": "0"},
            close_fds=True,
        )
        self.fd = self.process.stdout.fileno()
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)

    def send(self, body: bytes) -> None:
        try:
            self.process.stdin.write(render_worker.HEADER.pack(len(body)))
            self.process.stdin.write(body)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise _WorkerGone(str(error)) from error

    def receive(self, deadline: float) -> bytes:
        (length,) = render_worker.HEADER.unpack(self._read(render_worker.HEADER.size, deadline))
        return self._read(length, deadline)

    def _read(self, size: int, deadline: float) -> bytes:
        chunks, remaining = [], size
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                raise TimeoutError
            chunk = os.read(self.fd, min(remaining, 1 << 20))
            if not chunk:
                raise _WorkerGone("the renderer process stopped")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def resident_bytes(self) -> int:
        """The child's resident memory (Linux; 0 where /proc is not available)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def stop(self) -> None:
        self.selector.close()
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            self.process.stdout.close()


class _Slot:
    """A place for one worker, used by one thread at a time (the pool hands slots out)."""

    def __init__(self):
        self.worker: _Worker | None = None

    def compile(self, request: bytes, deadline: float) -> bytes:
        for attempt in (1, 2):
            if self.worker is None or self.worker.process.poll() is not None:
                self._drop()
                self.worker = _Worker()
            try:
                self.worker.send(request)
                break
            except _WorkerGone:  # died while idle (killed from outside): one fresh try
                self._drop()
                if attempt == 2:
                    raise DocumentError(
                        detail="the renderer process could not be started"
                    ) from None
        try:
            answer = self.worker.receive(deadline)
        except TimeoutError:
            self._drop(kill=True)
            raise DocumentTimeout(
                _(
                    "Making the document took too long and was stopped. Try a smaller "
                    "document (fewer rows or certificates) or try again later."
                ),
                detail="over the time limit",
            ) from None
        except _WorkerGone as error:
            code = self.worker.process.poll()
            self._drop(kill=True)
            raise DocumentError(detail=f"{error}, exit code {code}") from None
        status, payload = answer[:1], answer[1:]
        if status == b"K":
            if self.worker.resident_bytes() > _recycle_bytes():
                self._drop()  # a big document's memory goes back to the system
            return payload
        detail = payload.decode("utf-8", "replace")
        if status == b"P":
            self._drop()
            raise DocumentError(detail=f"renderer panic: {detail}")
        raise DocumentError(detail=detail)

    def _drop(self, *, kill: bool = False) -> None:
        if self.worker is not None:
            if kill:
                self.worker.process.kill()
            self.worker.stop()
            self.worker = None


class RenderPool:
    def __init__(self, size: int):
        self.pid = os.getpid()
        self.slots = [_Slot() for _n in range(size)]
        # Last in, first out: the warm worker is reused; a second starts only when needed.
        self.free: queue.LifoQueue[_Slot] = queue.LifoQueue()
        for slot in reversed(self.slots):
            self.free.put(slot)

    def compile(self, path: Path, root: Path, inputs: dict[str, str], timeout: float) -> bytes:
        request = json.dumps(
            {"path": str(path), "root": str(root), "inputs": inputs}, ensure_ascii=False
        ).encode()
        deadline = time.monotonic() + timeout
        try:
            slot = self.free.get(timeout=timeout)
        except queue.Empty:
            raise DocumentTimeout(
                _("Too many documents are being made at once. Please try again in a minute."),
                detail="no free renderer",
            ) from None
        try:
            return slot.compile(request, deadline)
        except DocumentError as error:
            logger.error("Document %s not made: %s", path.name, error.detail or error)
            raise
        finally:
            self.free.put(slot)

    def close(self) -> None:
        if os.getpid() != self.pid:  # a forked child must not stop its parent's workers
            return
        for slot in self.slots:
            with contextlib.suppress(Exception):
                slot._drop()


def _recycle_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_RENDER_RECYCLE_MB", 512)) * 1024 * 1024


_pool: RenderPool | None = None
_pool_lock = threading.Lock()


def pool() -> RenderPool:
    """This process's pool (a forked child builds its own and leaves its parent's alone)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.pid != os.getpid():
            _pool = RenderPool(max(1, int(getattr(settings, "DOCUMENT_RENDER_WORKERS", 2))))
            atexit.register(_pool.close)
        return _pool


def compile_pdf(path: Path, root: Path, inputs: dict[str, str]) -> bytes:
    """Compile the typst file at ``path`` to PDF in a worker; raises ``DocumentError``."""
    timeout = float(getattr(settings, "DOCUMENT_RENDER_TIMEOUT", 45))
    return pool().compile(path, root, inputs, timeout)
