from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programmes", "0013_quote_words_read_live")]

    operations = [
        migrations.AddField(
            model_name="evidencepack",
            name="quoted_keys",
            field=models.JSONField(
                blank=True, default=list, help_text="The contributions it quotes; taking one down rebuilds the pack."
            ),
        ),
    ]
