"""Indicators of the seed project's four specific goals, with targets, measured from the demo's
records (the targets are the demo's: the seed page publishes only the results)."""

from decimal import Decimal

from lider.projects.models import Project, Task
from lider.reporting.models import Indicator

PRODUCT, RESULT = Indicator.Kind.PRODUCT, Indicator.Kind.RESULT

# goal order: [(name, kind, unit, target, (women, men) or None, measure, params)]
# Params name a task by its kind; the loader puts the task's id in.
INDICATORS = {
    1: [
        (
            "Liczba uczestników cyklu szkoleń",
            PRODUCT,
            "osoby",
            100,
            (60, 40),
            "participants_in_task",
            {"task": Task.Kind.TRAINING_CYCLE},
        ),
        (
            "Liczba godzin zajęć, w których uczestniczyli uczestnicy cyklu szkoleń",
            PRODUCT,
            "godziny zegarowe",
            5400,
            None,
            "attendance_hours",
            {"task": Task.Kind.TRAINING_CYCLE},
        ),
    ],
    2: [
        (
            "Liczba powiatowych forów inicjatyw ekonomii społecznej",
            PRODUCT,
            "spotkania",
            4,
            None,
            "sessions_of_kind",
            {"task_kind": Task.Kind.FORUM},
        ),
    ],
    3: [
        (
            "Liczba spotkań doradztwa grupowego",
            PRODUCT,
            "spotkania",
            16,
            None,
            "sessions_of_kind",
            {"task_kind": Task.Kind.GROUP_ADVISORY},
        ),
    ],
    4: [
        (
            "Liczba osób, które uzyskały certyfikat",
            RESULT,
            "osoby",
            95,
            (57, 38),
            "participants_with_valid_certificate",
            {"task": Task.Kind.TRAINING_CYCLE},
        ),
        (
            "Odsetek uczestników cyklu szkoleń, którzy uzyskali certyfikat",
            RESULT,
            "%",
            95,
            None,
            "share_certified",
            {"task": Task.Kind.TRAINING_CYCLE},
        ),
        (
            "Liczba podmiotów ekonomii społecznej założonych przez uczestników",
            RESULT,
            "podmioty",
            5,
            None,
            "entities_founded",
            {},
        ),
    ],
}


def load_reporting(project: Project) -> int:
    """Create the indicators once; returns how many the project has."""
    tasks = {}
    for task in project.tasks.order_by("order", "pk"):
        tasks.setdefault(task.kind, task.pk)
    goals = {goal.order: goal for goal in project.specific_goals.all()}
    for goal_order, rows in INDICATORS.items():
        goal = goals[goal_order]
        for order, (name, kind, unit, target, split, measure, params) in enumerate(rows, 1):
            if "task" in params:
                params = {**params, "task": tasks[params["task"]]}
            women, men = split or (None, None)
            Indicator.objects.get_or_create(
                goal=goal,
                name=name,
                defaults={
                    "order": order,
                    "kind": kind,
                    "unit": unit,
                    "target_total": Decimal(target),
                    "target_women": women,
                    "target_men": men,
                    "measure": measure,
                    "params": params,
                },
            )
    return Indicator.objects.filter(goal__project=project).count()
