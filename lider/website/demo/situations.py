"""Illustrative situations after leaving for the demo's participants.

The seed project's records of what its participants did after the project are not public, so
these values are made up to show the feature, and stored as such: their source is
``SituationSource.ILLUSTRATIVE`` ("illustrative value of the demo, not a real record"), which
the person's page shows beside each value. A fifth of the participants have not answered the
four-weeks-after question, so the "whom to ask" list has people on it.
"""

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy

from lider.people import situations
from lider.people.models import Participant, Situation, SituationSource
from lider.projects.models import Project

# Cycled over the participants in a fixed order: deterministic, and varied enough to show.
AT_EXIT = (
    Situation.QUALIFICATION,
    Situation.QUALIFICATION,
    Situation.EMPLOYED,
    Situation.JOB_SEARCHING,
    Situation.EDUCATION,
)
LATER = (
    Situation.EMPLOYED,
    Situation.QUALIFICATION,
    Situation.EMPLOYED,
    Situation.JOB_SEARCHING,
    None,  # no answer yet
)


def load_situations(project: Project) -> int:
    """Fill the situations of ended participants who have none; returns how many (none when
    run again)."""
    office = User.objects.get(username="biuro")
    ended = Participant.objects.filter(
        project=project, person__isnull=False, end_date__isnull=False, exit_situation=""
    ).order_by("person__last_name", "person__first_name", "pk")
    filled = 0
    for n, participant in enumerate(ended):
        at_exit = AT_EXIT[n % len(AT_EXIT)]
        if participant.exit_reason == Participant.ExitReason.EMPLOYMENT:
            at_exit = Situation.EMPLOYED
        situations.record_situations(
            participant,
            exit_situation=at_exit,
            later_situation=LATER[n % len(LATER)],
            source=SituationSource.ILLUSTRATIVE,
            actor=office,
            note=gettext_lazy("illustrative value of the demo, not a real record"),
        )
        filled += 1
    return filled
