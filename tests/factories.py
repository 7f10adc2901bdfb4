from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from followup.accounts.models import User
from followup.imports.models import ImportJob
from followup.letters.models import Gift

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can sign in: their address is already confirmed."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    time_zone = "Europe/London"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contacts.Contact"

    owner = factory.SubFactory(UserFactory)
    name = factory.Faker("name")
    role = "Engineering Manager"
    organisation = "Acme Analytics"
    email = factory.Sequence(lambda n: f"contact{n}@acme.example")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Application"

    owner = factory.SubFactory(UserFactory)
    organisation = "Acme Analytics"
    position = factory.Sequence(lambda n: f"Data Engineer {n}")
    status = "applied"


class InterviewFactory(factory.django.DjangoModelFactory):
    """An interview row only; use services.interview_create to also plan the thank-yous."""

    class Meta:
        model = "interviews.Interview"

    application = factory.SubFactory(ApplicationFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=3))
    kind = "video"
    round = 1


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "letters.Letter"

    application = factory.SubFactory(ApplicationFactory)
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..application.owner"))
    kind = "thank_you"
    subject = "Thank you for the interview"


def gift_with_file(letter, **fields):
    """An article gift on `letter` with a small text file attached, as an upload would store it."""
    gift = Gift(letter=letter, **{"kind": "article", "title": "Notes", **fields})
    gift.file.save("notes.txt", ContentFile(b"notes"), save=False)
    gift.file_name = "notes.txt"
    gift.save()
    return gift


def import_job_with_file(owner, data: bytes = b"Company,Position\nAcme,Data Engineer\n"):
    """An uploaded spreadsheet waiting for its columns, its file in the storage."""
    job = ImportJob(owner=owner, kind="applications", file_name="applications.csv", total=1)
    job.file.save("applications.csv", ContentFile(data), save=False)
    job.save()
    return job
