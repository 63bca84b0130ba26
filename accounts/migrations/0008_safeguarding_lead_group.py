from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Safeguarding leads")


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Safeguarding leads").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_equality")]

    operations = [migrations.RunPython(create_group, remove_group)]
