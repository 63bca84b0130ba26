"""INSERT … SELECT through the ORM: rows made in the database from a queryset, none built in Python.

Django's bulk_create builds a model instance and prepares every field of every row here before it
sends them; for rows that are a function of other rows (a notification for each follower, a
snapshot of a person's answers) one statement does the same work in the database. The SELECT is an
ordinary queryset, so its filters, joins and expressions are the ORM's, on PostgreSQL and SQLite.
"""

from django.db import connections
from django.db.models import Value
from django.db.models.constants import OnConflict


def insert_select(
    model, rows, values: dict, *, limit: int | None = None, ignore_conflicts: bool = False, returning=()
) -> list[tuple]:
    """Insert one `model` row for each row of the queryset `rows`, in its order, at most `limit`.

    `values` maps field names to expressions evaluated on each row of `rows` (`F("pk")`, a `Case`,
    `Value(...)`); every other field takes its default, and a field whose default is None is left
    to the database (NULL). `ignore_conflicts` skips rows a unique constraint refuses. Returns the
    `returning` fields of the rows inserted (none with `ignore_conflicts` on SQLite, which cannot
    say which rows it skipped: leave `returning` empty there).
    """
    opts = model._meta
    columns, selected = [], {}
    for field in opts.concrete_fields:
        if field.name in values or field.attname in values:
            value = values.get(field.name, values.get(field.attname))
        elif field.primary_key:
            continue
        else:
            default = field.get_default()
            if default is None:
                continue
            value = Value(default, output_field=field)
        columns.append(field.column)
        selected[f"insert_{len(columns)}"] = value
    unknown = set(values) - {name for field in opts.concrete_fields for name in (field.name, field.attname)}
    if unknown:
        raise TypeError(f"{opts.label} has no fields {sorted(unknown)}")
    query = rows.annotate(**selected).values_list(*selected)
    if limit is not None:
        query = query[:limit]
    connection = connections[query.db]
    select, params = query.query.get_compiler(connection=connection).as_sql()
    quote, on_conflict = connection.ops.quote_name, OnConflict.IGNORE if ignore_conflicts else None
    sql = (
        f"{connection.ops.insert_statement(on_conflict=on_conflict)} {quote(opts.db_table)} "
        f"({', '.join(map(quote, columns))}) {select}"
    )
    if ignore_conflicts:
        sql += " " + connection.ops.on_conflict_suffix_sql(columns, on_conflict, None, None)
    if returning:
        sql += " RETURNING " + ", ".join(quote(opts.get_field(name).column) for name in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()] if returning else []
