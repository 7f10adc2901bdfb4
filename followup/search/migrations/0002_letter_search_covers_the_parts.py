"""The letter index covers the composer's parts too: a draft's text lives in them, and the body
stays empty until it is assembled or sent, so a search over subject and body missed most drafts.
The index is rebuilt from exactly the new expression (`Letter.objects.search_fields`, in order)."""

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
        ("search", "0001_search_indexes"),
        ("letters", "0007_letter_one_draft_per_follow_up"),
    ]

    operations = [
        followup.search.operations.RemoveIndexOnPostgres(
            app_label="letters",
            model_name="letter",
            index=index("letter_search_idx", "subject", "body"),
        ),
        followup.search.operations.AddIndexOnPostgres(
            app_label="letters",
            model_name="letter",
            index=index(
                "letter_search_idx",
                "subject",
                "appreciation",
                "still_interested",
                "great_fit",
                "availability",
                "body",
            ),
        ),
    ]
