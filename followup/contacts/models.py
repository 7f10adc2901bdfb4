from django.conf import settings
from django.db import models

from followup.core.access import OwnedQuerySet
from followup.core.fulltext import SearchableQuerySet
from followup.core.reversing import reverse


class ContactQuerySet(SearchableQuerySet, OwnedQuerySet):
    # Indexed as they are, in this order: followup/search/migrations.
    search_fields = ("name", "role", "organisation", "email", "notes")

    def search(self, text: str):
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(organisation__icontains=text)
            | models.Q(role__icontains=text)
            | models.Q(email__icontains=text)
        )

    def at_application(self, application_id: int):
        """The people met at the application's interviews or written to about it."""
        return self.filter(
            models.Q(interviews__application=application_id)
            | models.Q(letters__application=application_id)
        ).distinct()


class Contact(models.Model):
    """A person in the job seeker's book: an interviewer, a recruiter, someone to introduce."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    profile_url = models.URLField("profile URL", max_length=500, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def get_absolute_url(self):
        return reverse("contacts:detail", args=[self.pk])

    @property
    def details_for_introduction(self) -> str:
        """The lines an introduction gift puts into a letter."""
        lines = [self.name]
        if self.role or self.organisation:
            lines.append(", ".join(filter(None, [self.role, self.organisation])))
        lines += [value for value in (self.email, self.phone, self.profile_url) if value]
        return "\n".join(lines)
