from django.db import migrations

from programmes.programme_data import PROGRAMMES


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    for position, (slug, name, short_name, summary) in enumerate(PROGRAMMES, start=1):
        Programme.objects.update_or_create(
            slug=slug, defaults={"name": name, "short_name": short_name, "summary": summary, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
