from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """The last time a periodic job ran; /health/ reads these to tell beat and workers are alive."""

    name = models.CharField(max_length=50, unique=True)
    last_seen = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name} at {self.last_seen:%Y-%m-%d %H:%M:%S}"


class RevisedQuerySet(models.QuerySet):
    """Counts a change made by `update()` in the rows' revision, as `Revised.save` does.

    Only a change to one of the model's `revised_fields` counts: bookkeeping such as a
    reminder's claim leaves the revision alone.
    """

    def update(self, **kwargs):
        revised_fields = getattr(self.model, "revised_fields", ())
        if "revision" not in kwargs and revised_fields and set(kwargs) & set(revised_fields):
            kwargs["revision"] = models.F("revision") + 1
            kwargs["revised_at"] = timezone.now()
        return super().update(**kwargs)

    def revise(self) -> int:
        """Count a change these rows show from elsewhere (a contact's new name) as theirs."""
        return super().update(revision=models.F("revision") + 1, revised_at=timezone.now())


class Revised(models.Model):
    """A row whose copies elsewhere (a calendar app's) must learn that it changed.

    `revision` goes up by one on every change to a field in `revised_fields`, whether saved
    through `save()` or a `RevisedQuerySet.update()`; `revised_at` says when. A timestamp alone
    cannot serve as a counter: two changes within a clock tick, or a clock set back, would not
    move it on.
    """

    revised_fields: tuple[str, ...] = ()

    revision = models.PositiveIntegerField(default=0, editable=False)
    revised_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        counted = not self._state.adding and (
            update_fields is None or set(update_fields) & set(self.revised_fields)
        )
        if counted:
            # Counted by the database, not from this copy: a copy read before another change
            # was counted would write a number already given out, and a calendar app would
            # keep its stale entry.
            self.revision = models.F("revision") + 1
            self.revised_at = timezone.now()
            if update_fields is not None:
                update_fields = {*update_fields, "revision", "revised_at"}
        super().save(*args, update_fields=update_fields, **kwargs)
        if counted:
            # Read afresh from the row when next asked for (a deferred field).
            del self.__dict__["revision"]
