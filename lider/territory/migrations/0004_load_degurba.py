from django.db import migrations


def load(apps, schema_editor):
    from lider.territory.urbanisation import BUNDLED_EDITIONS, load_edition

    for edition, path in BUNDLED_EDITIONS.items():
        load_edition(path, edition, model=apps.get_model("territory", "Urbanisation"))


class Migration(migrations.Migration):
    dependencies = [("territory", "0003_urbanisation")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
