"""The progress report counts participants who started, ended, completed as planned and
dropped out in the period, by sex, from each participant's path (issue 13: "ended: 0")."""

import datetime

import pytest

from lider.people import paths
from lider.people.models import Participant
from lider.reporting.exports.progress import progress_data
from tests.reporting.builders import build

pytestmark = pytest.mark.django_db
D = datetime.date


def test_progress_counts_from_the_paths():
    world = build(women=2, men=1)  # sessions on 1 March and 31 March 2010, all completed
    Participant.objects.filter(project=world.project).update(start_date=None)
    paths.refresh(world.project, actor=None)
    man = world.participants[2]
    paths.record_exit(man, reason=Participant.ExitReason.ILLNESS, on=D(2010, 3, 20), actor=None)

    march = progress_data(world.project, D(2010, 3, 1), D(2010, 3, 31)).participants
    assert march["started"]["period"] == {"total": 3, "women": 2, "men": 1}
    assert march["ended"]["period"] == {"total": 3, "women": 2, "men": 1}
    assert march["completed"]["period"] == {"total": 2, "women": 2, "men": 0}
    assert march["dropped"]["period"] == {"total": 1, "women": 0, "men": 1}

    april = progress_data(world.project, D(2010, 4, 1), D(2010, 4, 30)).participants
    assert april["ended"]["period"] == {"total": 0, "women": 0, "men": 0}
    assert april["completed"]["cumulative"] == {"total": 2, "women": 2, "men": 0}
    assert april["dropped"]["cumulative"] == {"total": 1, "women": 0, "men": 1}

    # Before the last session nobody had ended: the path was still going on.
    early = progress_data(world.project, D(2010, 3, 1), D(2010, 3, 15)).participants
    assert early["completed"]["cumulative"]["total"] == 0


def test_demo_progress_report_ends_participants(demo_project):
    data = progress_data(demo_project, demo_project.start_date, demo_project.end_date)
    people = data.participants
    assert people["started"]["cumulative"]["total"] == 100
    assert people["ended"]["cumulative"]["total"] == 100
    assert people["completed"]["cumulative"]["total"] == 99
    assert people["dropped"]["cumulative"]["total"] == 1
