"""Full-text search columns for threads and comments.

On PostgreSQL a trigger fills each row's vector from its text (English stemming; a thread's title
weighs A, above its body at B) on every insert and on updates that set the title or body, so
services, admin edits and bulk loads all keep it right; a GIN index serves the search. The trigger
and the index are not in the model state: SQLite, the embedded default, has neither, and its
search falls back to matching words in the text.
"""

import django.contrib.postgres.search
from django.db import migrations

THREAD_VECTOR = (
    "setweight(to_tsvector('pg_catalog.english', coalesce({row}title, '')), 'A') || "
    "setweight(to_tsvector('pg_catalog.english', coalesce({row}body, '')), 'B')"
)
COMMENT_VECTOR = "setweight(to_tsvector('pg_catalog.english', coalesce({row}body, '')), 'B')"

TABLES = [
    ("forums_thread", THREAD_VECTOR, "title, body"),
    ("forums_comment", COMMENT_VECTOR, "body"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, vector, columns in TABLES:
        schema_editor.execute(
            f"""
            CREATE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_vector := {vector.format(row="NEW.")};
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {columns} ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_search_vector();
            UPDATE {table} SET search_vector = {vector.format(row="")};
            CREATE INDEX {table}_search ON {table} USING gin (search_vector);
            """
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _, _ in TABLES:
        schema_editor.execute(
            f"""
            DROP INDEX IF EXISTS {table}_search;
            DROP TRIGGER IF EXISTS {table}_search_vector ON {table};
            DROP FUNCTION IF EXISTS {table}_search_vector();
            """
        )


class Migration(migrations.Migration):

    dependencies = [
        ("forums", "0003_moderation"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="Title (weight A) and body (weight B). On PostgreSQL a trigger keeps it, so bulk loads fill it too.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, help_text="The body (weight B), kept by a trigger on PostgreSQL.", null=True
            ),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
