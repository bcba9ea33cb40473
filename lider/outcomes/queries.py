"""Reads of outcomes, shared by the back office, reports and the public page."""

from django.db.models import Count, Prefetch

from lider.outcomes.models import FoundedEntity
from lider.people.models import Participant


def founded_entities(project):
    """The project's founded entities with seat, confirming user and founders' names."""
    return (
        FoundedEntity.objects.for_project(project)
        .select_related("seat", "confirmed_by")
        .annotate(founder_count=Count("founders", distinct=True))
        .prefetch_related(
            Prefetch(
                "founders",
                queryset=Participant.objects.select_related("person").order_by(
                    "person__last_name", "person__first_name", "pk"
                ),
            )
        )
    )
