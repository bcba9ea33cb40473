"""A GET never changes anything: every back-office page reachable by a link from the demo
project, opened by its administrator, runs no INSERT, UPDATE or DELETE — except the audit entry
that records a read (a view of sensitive data or an export) and the session itself."""

import re
from collections import deque
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.models import AuditEntry
from lider.core.permissions import Role

HREF = re.compile(r'href="(/(?:en/)?biuro/[^"#]*)"')
WRITE = re.compile(r'^\s*(INSERT|UPDATE|DELETE)\b.*?\b(?:INTO|FROM)?\s*"?(\w+)"?', re.I | re.S)
ALLOWED_TABLES = {"django_session"}
READS = {AuditEntry.Action.VIEW_SENSITIVE, AuditEntry.Action.EXPORT}
MAX_PAGES = 400
PER_VIEW = 2  # pages of one URL pattern: enough to meet each view with real objects


def writes(queries) -> list[str]:
    found = []
    for query in queries:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper() if sql else ""
        if verb not in {"INSERT", "UPDATE", "DELETE"}:
            continue
        table = re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', sql, re.I).group(1)
        if table in ALLOWED_TABLES or table == AuditEntry._meta.db_table:
            continue
        found.append(sql[:200])
    return found


@pytest.mark.django_db
def test_no_back_office_get_writes(client, demo_project):
    admin = demo_project.memberships.get(role=Role.ADMINISTRATOR).user
    device = TOTPDevice.objects.create(user=admin, name="tel", confirmed=True)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    audit_before = AuditEntry.objects.count()

    start = reverse("projects:detail", kwargs={"slug": demo_project.slug})
    queue, seen, offenders = deque([start, reverse("projects:list")]), set(), {}
    per_route: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        try:
            route = resolve(url.split("?")[0]).route
        except Resolver404:
            route = url
        if url in seen or per_route.get(route, 0) >= PER_VIEW:
            continue
        seen.add(url)
        per_route[route] = per_route.get(route, 0) + 1
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        if found := writes(context.captured_queries):
            offenders[url] = found
        if response.get("Content-Type", "").startswith("text/html"):
            for link in HREF.findall(response.content.decode()):
                link = unescape(link)
                if link not in seen and "/logowanie/" not in link:
                    queue.append(link)

    assert len(per_route) > 40, "the crawl reached too few pages to prove anything"
    assert offenders == {}
    new_entries = AuditEntry.objects.all()[: AuditEntry.objects.count() - audit_before]
    assert {entry.action for entry in new_entries} <= READS
