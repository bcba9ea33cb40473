from django.db import migrations


def load(apps, schema_editor):
    from lider.territory.services import load_terc

    load_terc(unit_model=apps.get_model("territory", "Unit"))


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
