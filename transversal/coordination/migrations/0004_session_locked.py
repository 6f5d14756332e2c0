from django.db import migrations, models


def lock_sessions_with_signed_acta(apps, schema_editor):
    # A held session whose signed acta is already on file is fixed, as it would be had the acta
    # been uploaded after this change.
    Session = apps.get_model("coordination", "Session")
    Session.objects.filter(status="held").exclude(minutes="").update(locked=True)


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0003_system_is_synthetic"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="locked",
            field=models.BooleanField(default=False, verbose_name="fija por su acta firmada"),
        ),
        migrations.RunPython(lock_sessions_with_signed_acta, migrations.RunPython.noop),
    ]
