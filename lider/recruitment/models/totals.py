"""The pre-aggregated counts behind the applications list's summary (`ApplicationTotal`).

The index the summary of a project's own rows walks (`application_summary`) belongs to
`Application`'s table, so it stays declared there."""

from django.db import models


class ApplicationTotal(models.Model):
    """How many of a project's applications have one status, eligibility and identity.

    A pre-aggregated copy, so that the list's summary (``recruitment.queries.summary``) does
    not count a project's hundred thousand applications for each visit: moved in the
    transaction of each application written (``recruitment.totals``, the only writer: a
    submission, a decision, a recheck of the rules, a check of the identity, an import),
    rebuilt by ``lider rebuild_aggregates`` after rows written around the services."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12)
    is_eligible = models.BooleanField()
    identity = models.CharField(max_length=10)
    applications = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "status", "is_eligible", "identity"],
                name="application_total_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.status} {self.is_eligible} {self.identity}"
