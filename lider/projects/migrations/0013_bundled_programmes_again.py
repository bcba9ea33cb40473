from django.db import migrations


def load(apps, schema_editor):
    # The shipped trees grew (FE SL priority VI and its measures): load them again. Loading is
    # idempotent, so an install that already has every node is left as it is.
    from lider.projects.programme_trees import load_bundled

    load_bundled(model=apps.get_model("projects", "ProgrammeNode"))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0012_hours_unit"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
