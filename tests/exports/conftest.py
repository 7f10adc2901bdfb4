"""A full account to export, a dump of an account that two accounts can be compared by, and
export zips made to order."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from followup.applications import services
from followup.applications.models import ApplicationEvent, FollowUp
from followup.coaching.models import Comment
from followup.exports.archive import DATA_NAME, export_data, to_json
from followup.exports.schema import KINDS
from followup.letters.models import Gift, GiftKind
from followup.letters.services import letter_mark_sent
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

PDF = b"%PDF-1.4\n% a small article\n"


def rich_account(person, *, coach=None, applications: int = 2) -> None:
    """Every kind of row a person can own, linked the ways the product links them."""
    introduced = ContactFactory(owner=person, name="Ines Introduced", notes="Knows Kafka well.")
    for n in range(applications):
        application = ApplicationFactory(
            owner=person,
            organisation=f"Org {n}",
            position=f"Engineer {n}",
            applied_on=date(2026, 3, 1) + timedelta(days=n),
            salary_min=50_000,
            salary_max=60_000,
            salary_currency="GBP",
            notes="=SUM(A1:A2) looks like a formula",
        )
        services.application_set_status(
            application=application, status="interviewing", note="Called"
        )
        interviewer = ContactFactory(owner=person, name=f"Ivan {n}")
        second = ContactFactory(owner=person, name=f"Wanda {n}")
        interview = services.interview_create(
            application=application,
            scheduled_at=timezone.now() - timedelta(days=2, hours=n),
            interviewers=[(interviewer, "data quality"), (second, "hiking")],
            today=person.today(),
            notes="Talked about pipelines.",
        )
        thank_you = FollowUp.objects.get(interview=interview, contact=interviewer)
        letter = LetterFactory(
            application=application,
            contact=interviewer,
            interview=interview,
            follow_up=thank_you,
            appreciation="Thank you for your time.",
            body="Dear Ivan, thank you.",
        )
        gift = Gift(
            letter=letter,
            kind=GiftKind.ARTICLE,
            title="On data quality",
            inspiration="data quality",
        )
        gift.file.save("article.pdf", ContentFile(PDF + str(n).encode()), save=False)
        gift.file_name = f"Data quality {n}.pdf"
        gift.save()
        letter_mark_sent(letter=letter, sent_on=person.today(), signature="Olivia")
        intro_letter = LetterFactory(
            application=application, contact=second, interview=interview, kind="thank_you"
        )
        Gift.objects.create(
            letter=intro_letter,
            kind=GiftKind.INTRODUCTION,
            introduced_contact=introduced,
            inspiration="hiking",
        )
        if coach is not None:
            Comment.objects.create(letter=letter, author=coach, text="Shorter, please.")
        ApplicationEvent.objects.create(
            application=application, kind="reply", text="They wrote back."
        )


def normalised_dump(person) -> dict:
    """The person's data as the export says it, with ids replaced by each row's place in its
    list (restored rows are made in the file's order) and the values no restore can keep
    (creation times set by the database, the account's address, the export's own time) left
    out; a gift's file is compared by its content."""
    data, files = export_data(person)
    places = {kind.key: {row["id"]: i for i, row in enumerate(data[kind.key])} for kind in KINDS}
    dump = {}
    for kind in KINDS:
        if not kind.restored:
            continue
        unkept = {
            name
            for name in kind.fields
            if getattr(kind.model._meta.get_field(name), "auto_now_add", False)
        }
        rows = []
        for row in data[kind.key]:
            row = {k: v for k, v in row.items() if k not in unkept and k != "id"}
            for ref, target in kind.refs.items():
                row[ref] = places[target].get(row[ref])
            if kind.key == "gifts" and row["file"]:
                stored = files[row["file"]]
                with Gift._meta.get_field("file").storage.open(stored, "rb") as handle:
                    row["file"] = handle.read()
            rows.append(row)
        dump[kind.key] = rows
    account = dict(data["account"])
    del account["email"], account["name"]
    dump["account"] = account
    return dump


def zip_of(document: dict, files: dict[str, str]) -> bytes:
    """The export's zip: its document and the gift files it names, read from storage."""
    storage = Gift._meta.get_field("file").storage
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_NAME, to_json(document))
        for path, stored in files.items():
            with storage.open(stored, "rb") as source:
                archive.writestr(path, source.read())
    return out.getvalue()


def grown(document: dict, copies: int) -> dict:
    """The document with `copies` more applications and contacts, each a copy of the first:
    enough rows for the restore to last a few seconds."""
    document = json.loads(to_json(document))
    top = max(row["id"] for key in ("applications", "contacts") for row in document[key])
    for key in ("applications", "contacts"):
        model = document[key][0]
        document[key] += [dict(model, id=top + n) for n in range(1, copies + 1)]
    return document


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# A worker writes how far it has got at every step rather than twice a second: on a quiet
# machine these restores take a second or two, and the page has to be seen following them.
FOLLOWED = {"JOB_PROGRESS_SECONDS": "0"}
