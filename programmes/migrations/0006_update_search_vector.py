"""A stored, indexed search vector for programme updates, like threads' and comments' (forums 0004).

The site search used to compute each published update's vector as the query ran. That was cheap
with a handful of updates and is not with a few hundred: every search read and stemmed every
published update twice (to match and to rank), 55-100 ms with 100 updates of about 400 words and
380-870 ms with 1,000. A trigger now fills the vector from the title (weight A) and the summary and
body (weight B), exactly the expression the search used, on every insert and on updates that set
those columns, and a GIN index serves the search (phrases are rechecked on the few rows holding all
their words). SQLite, the embedded default, has neither and matches words in the text.
"""

import django.contrib.postgres.search
from django.db import migrations

TABLE = "programmes_update"
VECTOR = (
    "setweight(to_tsvector('pg_catalog.english', coalesce({row}title, '')), 'A') || "
    "setweight(to_tsvector('pg_catalog.english', coalesce({row}summary, '') || ' ' || coalesce({row}body, '')), 'B')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        CREATE FUNCTION {TABLE}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector := {VECTOR.format(row="NEW.")};
            RETURN NEW;
        END
        $$;
        CREATE TRIGGER {TABLE}_search_vector BEFORE INSERT OR UPDATE OF title, summary, body ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION {TABLE}_search_vector();
        UPDATE {TABLE} SET search_vector = {VECTOR.format(row="")};
        CREATE INDEX {TABLE}_search ON {TABLE} USING gin (search_vector);
        """
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        DROP INDEX IF EXISTS {TABLE}_search;
        DROP TRIGGER IF EXISTS {TABLE}_search_vector ON {TABLE};
        DROP FUNCTION IF EXISTS {TABLE}_search_vector();
        """
    )


class Migration(migrations.Migration):

    dependencies = [
        ("programmes", "0005_update_boards"),
    ]

    operations = [
        migrations.AddField(
            model_name="update",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="Title (weight A), summary and body (weight B). On PostgreSQL a trigger keeps it, so bulk loads fill it too.",
                null=True,
            ),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
