"""Every programme gets a board for its updates: each published update is a discussion in it."""

from django.db import migrations

BOARD = {"slug": "updates", "name": "Programme updates", "position": 99, "accepts_threads": False,
         "description": "News from the programme team. Reply to an update to tell them what you think."}


def create_boards(apps, schema_editor):
    Board = apps.get_model("forums", "Board")
    for programme in apps.get_model("programmes", "Programme").objects.all():
        Board.objects.get_or_create(programme=programme, slug=BOARD["slug"], defaults=BOARD)


def remove_boards(apps, schema_editor):
    apps.get_model("forums", "Board").objects.filter(slug=BOARD["slug"], thread_count=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_staff_features"),
        ("forums", "0005_staff_features"),
    ]

    operations = [migrations.RunPython(create_boards, remove_boards)]
