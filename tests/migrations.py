"""The test database moved between migrations, for the tests that migrate real rows forward."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    """Migrate the test database to `targets`; return the models of that time (an `Apps`)."""
    MigrationExecutor(connection).migrate(targets)
    # Read from a fresh loader: the executor's own state after going back is built from the
    # migrations it had loaded as applied, before it unapplied them. The other apps are at
    # their latest (the users' table has columns the targets' ancestors do not add).
    loader = MigrationExecutor(connection).loader
    moved = {app for app, _ in targets}
    nodes = [node for node in loader.graph.leaf_nodes() if node[0] not in moved]
    nodes += [target for target in targets if target[1] is not None]
    return loader.project_state(nodes).apps


def plan_to_latest() -> list:
    """What is left to apply: nothing, once a test has migrated back to today."""
    return MigrationExecutor(connection).migration_plan(latest())
