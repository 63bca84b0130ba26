from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Programme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=200)),
                ("short_name", models.CharField(help_text="Used in navigation and page titles.", max_length=60)),
                (
                    "summary",
                    models.TextField(help_text="A few sentences in plain English on what the programme is for."),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
            ],
            options={"ordering": ["position", "name"]},
        ),
    ]
