import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of every Lider and auth table, as comparable tuples."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "admin"}:
            continue
        rows[model._meta.label] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
    return rows


def test_demo_twice_changes_nothing():
    out = io.StringIO()
    call_command("demo", stdout=out)
    first = snapshot()
    call_command("demo", stdout=io.StringIO())
    assert snapshot() == first
    assert "koordynator" in out.getvalue()


def test_demo_loads_seed_structure(demo_project):
    assert demo_project.counties.count() == 4
    assert demo_project.tasks.count() == 6
    assert sorted(set(demo_project.tasks.values_list("kind", flat=True))) == [
        "conference",
        "forum",
        "group_advisory",
        "information_meeting",
        "training_cycle",
    ]
    assert demo_project.specific_goals.count() == 4
    assert demo_project.target_groups.count() == 2
    assert [n.code for n in demo_project.classification.lineage()] == [
        "PO KL",
        "VII",
        "7.2",
        "7.2.2",
    ]
