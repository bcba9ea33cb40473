from django.db import migrations


def load(apps, schema_editor):
    from lider.projects.programme_trees import load_bundled

    load_bundled(model=apps.get_model("projects", "ProgrammeNode"))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_contract_number"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
