from django.db import migrations

from transversal.territory.states import STATES


def load(apps, schema_editor):
    State = apps.get_model("territory", "State")
    for code, name, short_name, abbreviation, iso_code in STATES:
        State.objects.update_or_create(
            code=code,
            defaults={"name": name, "short_name": short_name, "abbreviation": abbreviation, "iso_code": iso_code},
        )


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
