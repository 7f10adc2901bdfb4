"""Who recorded a row: its owner, or a coach acting for them at the "edit" level.

The owner of a row (whose data it is, whose time zone plans it, whose access log hears of it)
and the person who typed it in are two people when a coach acts for a client. The services take
the second as `by` and keep it in `created_by`; the client's pages say "added by your coach".
"""

from django.conf import settings
from django.db import models

from .access import owner_id_of


class RecordedBy(models.Model):
    """An abstract model: the person who created the row, kept apart from its owner."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A coach who deletes their account leaves the client's rows as they were.
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who recorded it: its owner, or a coach acting for them. Empty for rows "
        "recorded before this was kept, and for demo data.",
    )

    class Meta:
        abstract = True

    @property
    def added_by_coach(self):
        """The person who recorded this for its owner, or None when the owner did (or nobody
        knows). Reads `created_by` only when it is someone else: select it with the rows of a
        list that may hold a coach's."""
        if self.created_by_id is None:
            return None
        owner_path = type(self)._default_manager.all().owner_path
        if self.created_by_id == owner_id_of(self, owner_path):
            return None
        return self.created_by
