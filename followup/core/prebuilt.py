"""Statements Django builds once per process and each call runs with its own values.

Building a queryset's SQL (filters, joins, compiling) costs Django about as much CPU as
PostgreSQL takes to run a small query, and a page or a batch that asks the same question each
time pays it each time. A `Prebuilt` keeps the SQL of a query built once from its queryset, so
the queryset stays the one definition of the question (managers, access rule, ordering), and
puts each call's values where Django put stand-ins for them.

Build them in a function cached per process and per shape (`functools.cache`, or `lru_cache`
keyed by how many values a list holds: `IN (%s, %s)` has one placeholder per value).
"""

from django.db import connections


class Prebuilt:
    """The SQL and parameters of `query`, with `sentinels` standing for the values of a call.

    `sentinels` are stand-ins for the values, distinct from every other parameter of the
    query (negative ids, a date in 1900); where Django put each of them is where `run` puts
    the call's values. Values go to the database as they are: ids, dates and aware datetimes,
    as PostgreSQL takes them.
    """

    def __init__(self, query, sentinels: list):
        self.using = query.model.objects.db
        compiler = query.get_compiler(self.using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = [
            (index, sentinels.index(param))
            for index, param in enumerate(self.params)
            if param in sentinels
        ]
        # Each stand-in somewhere (a value may be used more than once, e.g. "now").
        if {slot for _, slot in self.slots} != set(range(len(sentinels))):
            raise RuntimeError(f"unexpected parameters of {self.sql!r}: {params}")
        # What Django would do to each column read back (e.g. a text column's value on SQLite,
        # an annotation's output field); none for most columns on PostgreSQL.
        select = getattr(compiler, "select", None)
        fields = [column[0] for column in select[: compiler.col_count]] if select else []
        self.converters = list(compiler.get_converters(fields).items()) if fields else []

    def run(self, values: list):
        """The rows (tuples, converted as Django would), or the count of rows changed."""
        params = list(self.params)
        for index, slot in self.slots:
            params[index] = values[slot]
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            if not cursor.description:
                return cursor.rowcount
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        return [self._converted(row, connection) for row in rows]

    def _converted(self, row, connection) -> tuple:
        row = list(row)
        for position, (converters, expression) in self.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        return tuple(row)
