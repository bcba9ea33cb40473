import datetime

from django.db import migrations, models


def existing_projects_keep_their_public_life(apps, schema_editor):
    """Projects made before states existed were public with an open form: a project that has
    ended becomes closed (page and results public, form closed), any other one running."""
    Project = apps.get_model("projects", "Project")
    today = datetime.date.today()
    Project.objects.filter(end_date__lt=today).update(state="closed")
    Project.objects.filter(end_date__gte=today).update(state="running")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_invitation"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "draft"),
                    ("recruiting", "recruiting"),
                    ("running", "running"),
                    ("closed", "closed"),
                    ("archived", "archived"),
                ],
                default="draft",
                max_length=12,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(
            existing_projects_keep_their_public_life, migrations.RunPython.noop, elidable=False
        ),
    ]
