"""Keep each project's applications counted by status, eligibility and identity
(ApplicationTotal, for the list's summary), and count those that exist, in one INSERT … SELECT
grouped over the application_summary index. Reversing it drops the table."""

import django.db.models.deletion
from django.db import migrations, models


def fill_application_totals(apps, schema_editor):
    """Insert the counts of every project's applications that have none kept yet."""
    application = schema_editor.quote_name(
        apps.get_model("recruitment", "Application")._meta.db_table
    )
    total = schema_editor.quote_name(
        apps.get_model("recruitment", "ApplicationTotal")._meta.db_table
    )
    schema_editor.execute(
        f"""
        INSERT INTO {total} (project_id, status, is_eligible, identity, applications)
        SELECT a.project_id, a.status, a.is_eligible, a.identity, COUNT(*)
        FROM {application} a
        WHERE NOT EXISTS (SELECT 1 FROM {total} t WHERE t.project_id = a.project_id)
        GROUP BY a.project_id, a.status, a.is_eligible, a.identity
        """
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0014_logo_marks"),
        ("recruitment", "0007_application_summary_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicationTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=12)),
                ("is_eligible", models.BooleanField()),
                ("identity", models.CharField(max_length=10)),
                ("applications", models.IntegerField(default=0)),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("project", "status", "is_eligible", "identity"),
                        name="application_total_once",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_application_totals, migrations.RunPython.noop, elidable=True),
    ]
