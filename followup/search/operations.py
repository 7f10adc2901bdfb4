"""A migration operation for indexes that only PostgreSQL can build.

The site runs locally on SQLite, which has no tsvector nor GIN: there the operation does
nothing. It leaves the models' state alone too: the indexes sit on other apps' tables, and the
search is the only thing that knows about them (its tests check they exist and are used).
"""

from django.db import migrations


class AddIndexOnPostgres(migrations.operations.base.Operation):
    """Add `index` to `app_label.model_name`'s table, on PostgreSQL only."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, app_label: str, model_name: str, index):
        self.app_label = app_label
        self.model_name = model_name
        self.index = index

    def deconstruct(self):
        kwargs = {"app_label": self.app_label, "model_name": self.model_name, "index": self.index}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _run(self, schema_editor, state, action: str) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = state.apps.get_model(self.app_label, self.model_name)
        getattr(schema_editor, action)(model, self.index)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, to_state, "add_index")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, from_state, "remove_index")

    def describe(self):
        return f"Create index {self.index.name} on {self.app_label}.{self.model_name} (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return self.index.name.lower()


class RemoveIndexOnPostgres(AddIndexOnPostgres):
    """Drop `index` from `app_label.model_name`'s table, on PostgreSQL only; the reverse adds it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, from_state, "remove_index")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, to_state, "add_index")

    def describe(self):
        return (
            f"Remove index {self.index.name} from {self.app_label}.{self.model_name} (PostgreSQL)"
        )
