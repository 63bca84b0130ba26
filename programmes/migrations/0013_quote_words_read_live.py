from django.db import migrations


class Migration(migrations.Migration):
    """A quote keeps no copy of the words: they are read from the item each time it is shown."""

    dependencies = [("programmes", "0012_offline_equality_choices")]

    operations = [migrations.RemoveField(model_name="quote", name="text")]
