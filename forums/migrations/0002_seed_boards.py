from django.db import migrations

BOARDS = [
    ("general", "General discussion", "Anything about this programme: questions, thoughts and news."),
    ("ideas", "Ideas", "Suggestions for how services could be better. Say what you would change and why."),
    ("experiences", "Your experiences", "Tell others what happened to you and what helped. Please keep other people's details private."),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Board = apps.get_model("forums", "Board")
    for programme in Programme.objects.all():
        for position, (slug, name, description) in enumerate(BOARDS, start=1):
            Board.objects.get_or_create(
                programme=programme, slug=slug, defaults={"name": name, "description": description, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial"), ("programmes", "0002_seed_programmes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
