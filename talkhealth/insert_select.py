"""INSERT … SELECT: rows made in the database from other rows, none built in Python.

Django's bulk_create builds a model instance and prepares every field of every row here before it
sends them. For rows that are a function of other rows (a notification for each follower, a
snapshot of a person's answers) one statement does the same work in the database. The rows come
from an ordinary queryset (its filters, joins, order and slice are the ORM's); what each column
holds is either a constant, prepared by its field as bulk_create would, or a short SQL expression
over the source's columns. The expressions are written out rather than built from ORM expressions:
compiling a Case of Q objects cost more than the rows it replaced.
"""

from dataclasses import dataclass

from django.db import connections, router
from django.db.models.constants import OnConflict


@dataclass(frozen=True)
class SQL:
    """A column's value as SQL over the source's columns, with its parameters. The source is a
    values_list() queryset, and its columns are named as the list names them: `source."pk"`."""

    text: str
    params: tuple = ()


def prepared(model, name: str, value):
    """`value` as `model`'s field `name` sends it to the database: for a parameter inside an SQL."""
    connection = connections[router.db_for_write(model)]
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def insert_select(
    model, values: dict, rows, *, join: SQL = SQL(""), ignore_conflicts: bool = False, returning=()
) -> list[tuple]:
    """Insert one `model` row for each row of the queryset `rows`, read as `source`.

    `values` maps field names to an `SQL` over `source` (and over `join`, a join clause added after
    it) or to a constant. Every other field takes its default; one whose default is None is left to
    the database (NULL). `ignore_conflicts` skips rows a unique constraint refuses. Returns the
    `returning` fields of the rows inserted (leave it empty with `ignore_conflicts`: SQLite cannot
    say which rows it skipped).
    """
    opts = model._meta
    unknown = set(values) - {name for field in opts.concrete_fields for name in (field.name, field.attname)}
    if unknown:
        raise TypeError(f"{opts.label} has no fields {sorted(unknown)}")
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns, selected, params = [], [], []
    for field in opts.concrete_fields:
        name = field.name if field.name in values else field.attname
        if name in values:
            value = values[name]
        elif field.primary_key:
            continue
        else:
            value = field.get_default()
            if value is None:
                continue
        columns.append(quote(field.column))
        if isinstance(value, SQL):
            selected.append(value.text)
            params += value.params
        else:
            selected.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    source, source_params = rows.query.get_compiler(connection=connection).as_sql()
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = (
        f"{connection.ops.insert_statement(on_conflict=on_conflict)} {quote(opts.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(selected)} FROM ({source}) source {join.text}"
    )
    if ignore_conflicts:
        sql += " " + connection.ops.on_conflict_suffix_sql(columns, on_conflict, None, None)
    if returning:
        sql += " RETURNING " + ", ".join(quote(opts.get_field(name).column) for name in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *source_params, *join.params))
        return [tuple(row) for row in cursor.fetchall()] if returning else []
