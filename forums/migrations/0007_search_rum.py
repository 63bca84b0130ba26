"""Word positions in the search indexes, so a "quoted phrase" is answered inside the index.

A GIN index knows which rows hold a word, not where in them: for a phrase of two common words
PostgreSQL fetched and rechecked every row holding both (about 30,000 of a million comments) to
keep the few hundred with the words side by side. RUM, a GIN-derived access method from the `rum`
extension (Debian package postgresql-NN-rum; offered by the managed services), stores each word's
positions as well and answers the phrase from the index, while single words are found as before.

So on PostgreSQL, where the extension is installed or the role may install it, RUM replaces GIN
under the same index name. Elsewhere the GIN index stays: every search still works, and phrases of
common words are merely slower at volume. SQLite, the embedded default, has neither. Going back
rebuilds GIN and leaves the extension installed, since something else may use it.
"""

from django.db import migrations

TABLES = ("forums_thread", "forums_comment")

RUM_USABLE = """
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') OR EXISTS (
        SELECT 1
        FROM pg_available_extension_versions version
        JOIN pg_available_extensions extension
            ON extension.name = version.name AND extension.default_version = version.version
        WHERE version.name = 'rum' AND (
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
            OR ((version.trusted OR NOT version.superuser)
                AND has_database_privilege(current_database(), 'CREATE'))
        )
    )
"""


def _index_method(cursor, table: str) -> str | None:
    cursor.execute(
        "SELECT am.amname FROM pg_class index JOIN pg_am am ON am.oid = index.relam "
        "WHERE index.relname = %s AND index.relkind = 'i'",
        [f"{table}_search"],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def to_rum(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(RUM_USABLE)
        if not cursor.fetchone()[0]:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        for table in TABLES:
            if _index_method(cursor, table) != "rum":
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search")
                cursor.execute(f"CREATE INDEX {table}_search ON {table} USING rum (search_vector rum_tsvector_ops)")


def to_gin(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            if _index_method(cursor, table) == "rum":
                cursor.execute(f"DROP INDEX {table}_search")
                cursor.execute(f"CREATE INDEX {table}_search ON {table} USING gin (search_vector)")


class Migration(migrations.Migration):

    dependencies = [
        ("forums", "0006_thread_unpublished_index"),
    ]

    operations = [
        migrations.RunPython(to_rum, to_gin, elidable=False),
    ]
