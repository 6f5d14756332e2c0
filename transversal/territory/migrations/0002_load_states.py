from django.db import migrations

from transversal.territory.states import load_states


def load(apps, schema_editor):
    load_states(apps.get_model("territory", "State"))


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
