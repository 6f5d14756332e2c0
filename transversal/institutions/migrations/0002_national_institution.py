from django.db import migrations

from transversal.institutions.reference import load_national_institution


def load(apps, schema_editor):
    load_national_institution(
        apps.get_model("institutions", "Institution"),
        apps.get_model("institutions", "InstitutionName"),
    )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial"), ("territory", "0002_load_states")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
