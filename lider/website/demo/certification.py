"""The seed's headline result as data: 99 Leaders certified, 99 % of the trainees.

The training cycle gets the rule "at least 80 % of training hours", every trainee a pre-test and
a post-test score, and the 99 trainees who meet the rule certificates LRES/2010/001–099 issued on
20 December 2010 through the issuing service (numbering, evaluation, PDF checksum). The trainee
who dropped out stays without one and is listed with the reason. Deterministic (seeded scores
and verification codes, fixed timestamps), loaded once (running the demo again changes nothing)
and, like the other loaders, without audit entries: no user did this in this database.
"""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.contrib.auth.models import User

from lider.certification import issuing, queries, rules, services
from lider.certification.models import Certificate, CertificateSeries, CompletionRule, TestScore
from lider.projects.models import Project, Task

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
ISSUED_AT = datetime.datetime(2010, 12, 20, 12, 0, tzinfo=WARSAW)
RULE_SET_AT = datetime.datetime(2010, 2, 15, 9, 0, tzinfo=WARSAW)
TESTS_AT = datetime.datetime(2010, 12, 10, 16, 0, tzinfo=WARSAW)
PATTERN = "LRES/{year}/{seq:03d}"
RULE = {"all": [{"attendance": 80}]}


def load_certification(project: Project) -> int:
    """Load the rule, scores and certificates once; returns how many certificates were issued."""
    task = project.tasks.filter(kind=Task.Kind.TRAINING_CYCLE).order_by("order").first()
    if task is None or Certificate.objects.filter(task=task).exists():
        return 0
    coordinator = User.objects.filter(username="koordynator").first()
    CertificateSeries.objects.get_or_create(
        project=project, task=None, defaults={"pattern": PATTERN}
    )
    if not CompletionRule.objects.filter(task=task).exists():
        rules.validate(RULE)
        CompletionRule.objects.create(task=task, conditions=RULE, updated_by=coordinator)
        CompletionRule.objects.filter(task=task).update(updated_at=RULE_SET_AT)

    rng = random.Random(2010)
    standings = queries.standings(task)
    if not TestScore.objects.filter(task=task).exists():
        scores = []
        for standing in standings:
            pre = Decimal(rng.randint(20, 60))
            post = min(Decimal(100), pre + rng.randint(10, 40))
            scores.append(
                TestScore(task=task, participant=standing.participant, pre_test=pre, post_test=post)
            )
        TestScore.objects.bulk_create(scores)
        TestScore.objects.filter(task=task).update(updated_at=TESTS_AT)

    def codes():
        while True:
            yield "".join(rng.choice(services.CODE_ALPHABET) for _ in range(services.CODE_LENGTH))

    issued = issuing.issue_certificates(
        task,
        actor=coordinator,
        issued_at=ISSUED_AT,
        codes=codes(),
        notify=False,
    )
    return len(issued)
