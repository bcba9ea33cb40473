# The co-financing statement is printed on every document: bounded to 1000 characters.
# Nothing is cut: if a stored statement is longer, the migration stops and names the project.

from django.db import migrations, models
from django.db.models.functions import Length


def refuse_longer(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    longer = list(
        Project.objects.annotate(size=Length("cofinancing_statement"))
        .filter(size__gt=1000)
        .values_list("slug", "size")
    )
    if longer:
        listed = ", ".join(f"{slug} ({size} characters)" for slug, size in longer)
        raise RuntimeError(
            "Shorten the co-financing statement of these projects to at most 1000 characters "
            f"before migrating (nothing is cut automatically): {listed}"
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunPython(refuse_longer, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="project",
            name="cofinancing_statement",
            field=models.CharField(max_length=1000, verbose_name="co-financing statement"),
        ),
    ]
