# The co-financing statement as printed on a certificate: bounded like the project's.
# Nothing is cut: if a stored one is longer, the migration stops and names the certificates.

from django.db import migrations, models
from django.db.models.functions import Length


def refuse_longer(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    longer = list(
        Certificate.objects.annotate(size=Length("cofinancing"))
        .filter(size__gt=1000)
        .values_list("number", flat=True)[:20]
    )
    if longer:
        raise RuntimeError(
            "These certificates hold a co-financing statement over 1000 characters; correct "
            f"them before migrating (nothing is cut automatically): {', '.join(longer)}"
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0002_labels_of_gender_and_bulk_runs")]

    operations = [
        migrations.RunPython(refuse_longer, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="certificate",
            name="cofinancing",
            field=models.CharField(max_length=1000, verbose_name="co-financing statement"),
        ),
    ]
