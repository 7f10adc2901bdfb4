from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """The last time a periodic job ran; /health/ reads these to tell beat and workers are alive."""

    name = models.CharField(max_length=50, unique=True)
    last_seen = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name} at {self.last_seen:%Y-%m-%d %H:%M:%S}"
