"""GIN indexes for the search, one per kind of row, each built from exactly the expression the
queries use (`followup.core.fulltext.search_vector` over the queryset's `search_fields`, in
order): the planner uses an expression index only for an identical expression. On SQLite,
which `make run` uses, nothing is created."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

import followup.search.operations


def index(name, *fields):
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.search.SearchVector(*fields, config="english"), name=name
    )


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0003_interview_moves_to_interviews"),
        ("contacts", "0001_initial"),
        ("interviews", "0001_initial"),
        ("letters", "0005_gift_sentence"),
    ]

    operations = [
        followup.search.operations.AddIndexOnPostgres(
            app_label="applications",
            model_name="application",
            index=index("application_search_idx", "organisation", "position", "found_via", "notes"),
        ),
        followup.search.operations.AddIndexOnPostgres(
            app_label="interviews",
            model_name="interview",
            index=index("interview_search_idx", "location", "notes"),
        ),
        followup.search.operations.AddIndexOnPostgres(
            app_label="contacts",
            model_name="contact",
            index=index("contact_search_idx", "name", "role", "organisation", "email", "notes"),
        ),
        followup.search.operations.AddIndexOnPostgres(
            app_label="letters",
            model_name="letter",
            index=index("letter_search_idx", "subject", "body"),
        ),
    ]
