"""What `lider check-install` verifies and what the health endpoint answers.

Each check returns a ``Result``: ``ok``, ``warning`` (works, but not as production needs) or
``error`` (Lider cannot work). Details never carry personal data, only settings and counts.

Core knows no domain: an app whose work needs something of the installation (a waiting
scheduled task, say) registers its own check with `register` from its ``AppConfig.ready``;
those run after core's, when the database answers.
"""

import dataclasses
import datetime
import socket
import tempfile
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

OK, WARNING, ERROR = "ok", "warning", "error"

# A task waiting longer than this means no worker is taking tasks.
STALE_TASK = datetime.timedelta(minutes=5)
# A task finished within this window shows that a worker ran.
RECENT_TASK = datetime.timedelta(days=1)
LOCAL_MAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@dataclasses.dataclass(frozen=True)
class Result:
    name: str
    status: str
    detail: str


# Checks contributed by apps: each returns a Result, or None when it has nothing to say here.
APP_CHECKS: list[Callable[[], Result | None]] = []


def register(check: Callable[[], Result | None]) -> Callable[[], Result | None]:
    """Add an app's check to `lider check-install` (once, whatever the calls)."""
    if check not in APP_CHECKS:
        APP_CHECKS.append(check)
    return check


def database_answers() -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_answers() -> bool:
    key, value = f"lider:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        answered = cache.get(key) == value
        cache.delete(key)
        return answered
    except Exception:  # noqa: BLE001 - any failure of the cache server means "not working"
        return False


def check_database() -> Result:
    name = _("Database")
    vendor = connection.vendor
    if not database_answers():
        return Result(name, ERROR, _("Cannot connect to the database (%s).") % vendor)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        detail = ngettext(
            "%(count)d migration not applied: run `lider migrate`.",
            "%(count)d migrations not applied: run `lider migrate`.",
            len(plan),
        ) % {"count": len(plan)}
        return Result(name, ERROR, detail)
    return Result(name, OK, _("%s, all migrations applied.") % vendor)


def check_cache() -> Result:
    name = _("Cache")
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if not cache_answers():
        return Result(name, ERROR, _("The cache (%s) does not store values.") % backend)
    if backend == "LocMemCache":
        return Result(
            name,
            WARNING,
            _(
                "LocMemCache: each server process has its own; set REDIS_URL so that processes "
                "and machines share cached pages and login throttling."
            ),
        )
    return Result(name, OK, backend)


def storage_description() -> str:
    """Which storage holds uploaded files: the class, and the bucket or folder."""
    storage = storages["default"]
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        endpoint = getattr(storage, "endpoint_url", None) or "AWS"
        return f"{type(storage).__name__} s3://{bucket}/{storage.location} ({endpoint})"
    return f"{type(storage).__name__} {getattr(storage, 'location', '')}"


def check_storage() -> Result:
    """Write, read back and delete a probe object through Django's storage (local disk or
    S3), then a temporary file in the data directory (collected static files live there)."""
    name = _("File storage")
    probe = f"lider-check/{uuid.uuid4().hex}.txt"
    content = uuid.uuid4().hex.encode()
    try:
        saved = default_storage.save(probe, ContentFile(content))
        try:
            with default_storage.open(saved, "rb") as handle:
                read = handle.read()
        finally:
            default_storage.delete(saved)
        left = default_storage.exists(saved)
    except OSError as error:
        return Result(name, ERROR, _("Cannot write files: %s") % (error.strerror or error))
    except Exception as error:  # noqa: BLE001 - S3 errors (botocore) are not OSErrors
        return Result(name, ERROR, _("Cannot write files: %s") % error)
    if read != content:
        return Result(name, ERROR, _("A file written to the storage read back different."))
    if left:
        return Result(name, ERROR, _("A file deleted from the storage is still there."))
    try:
        with tempfile.NamedTemporaryFile(dir=settings.DATA_DIR) as handle:
            handle.write(content)
    except OSError as error:
        return Result(name, ERROR, _("Cannot write files: %s") % (error.strerror or error))
    return Result(
        name,
        OK,
        _("%(storage)s; data directory %(dir)s")
        % {"storage": storage_description(), "dir": settings.DATA_DIR},
    )


def check_worker() -> Result:
    from lider.core.management.commands.worker import uses_database_backend

    name = _("Background worker")
    backend = settings.TASKS["default"]["BACKEND"]
    if not uses_database_backend():
        return Result(
            name,
            WARNING,
            _(
                "Tasks run inside the request (%s): set "
                "TASKS_BACKEND=django_tasks_db.DatabaseBackend and run `lider worker`."
            )
            % backend.rsplit(".", 1)[-1],
        )
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    waiting = DBTaskResult.objects.filter(status="READY", run_after__lte=now - STALE_TASK)
    if waiting.exists():
        count = waiting.count()
        return Result(
            name,
            WARNING,
            ngettext(
                "%(count)d task has waited over 5 minutes: is `lider worker` running?",
                "%(count)d tasks have waited over 5 minutes: is `lider worker` running?",
                count,
            )
            % {"count": count},
        )
    if not DBTaskResult.objects.filter(finished_at__gte=now - RECENT_TASK).exists():
        return Result(
            name,
            WARNING,
            _("No task finished in the last day, so a running worker cannot be confirmed."),
        )
    return Result(name, OK, _("A worker finished a task in the last day."))


def check_email(*, smtp: bool) -> Result:
    name = _("E-mail")
    backend = settings.EMAIL_BACKEND
    if not backend:
        return Result(name, ERROR, _("EMAIL_BACKEND is not set."))
    if backend in LOCAL_MAIL:
        return Result(
            name,
            WARNING,
            _("E-mails are not sent (%s): set EMAIL_BACKEND and EMAIL_HOST.")
            % backend.rsplit(".", 2)[-2],
        )
    if not smtp or backend != "django.core.mail.backends.smtp.EmailBackend":
        return Result(name, OK, backend)
    address = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    try:
        with socket.create_connection((settings.EMAIL_HOST, settings.EMAIL_PORT), timeout=5):
            pass
    except OSError:
        return Result(name, ERROR, _("The SMTP server %s does not answer.") % address)
    return Result(name, OK, _("The SMTP server %s answers.") % address)


def run_checks(*, smtp: bool = False) -> list[Result]:
    database = check_database()
    results = [database, check_cache(), check_storage()]
    if database.status == ERROR:
        results.append(Result(_("Background worker"), ERROR, _("Needs the database.")))
    else:
        results.append(check_worker())
    results.append(check_email(smtp=smtp))
    if database.status != ERROR:
        results.extend(result for check in APP_CHECKS if (result := check()) is not None)
    return results
