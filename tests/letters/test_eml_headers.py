"""The .eml download keeps its header block whole, whatever the stored names and subject hold.

Every control character and line separator (all that str.splitlines() splits on among them) is
stored straight into the database, past the forms, as rows saved before the forms cleaned them
would be; the download is then read back with the standard library's strict parser.
"""

from email import policy
from email.parser import BytesParser
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from followup.accounts.models import User
from followup.contacts.models import Contact
from followup.letters import composing
from followup.letters.models import Gift, Letter
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db

# C0 controls (CR, LF, vertical tab, form feed, the file/group/record separators...), DEL, NEL
# and the two Unicode separators.
CONTROLS = [chr(code) for code in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029"]
# PostgreSQL text cannot hold NUL: it is checked on the builder alone, below.
STORABLE = [char for char in CONTROLS if char != "\x00"]

BODY = "Dear Ada,\n\nThank you for Monday.\n\nBest regards,\nOlivia"
HEADERS = [
    "Content-Type",
    "MIME-Version",
    "Content-Transfer-Encoding",
    "Subject",
    "From",
    "To",
    "Date",
    "Message-ID",
    "X-Unsent",
]


def hostile(char: str) -> dict:
    """A subject and names that each try to end the header line and start another."""
    return {
        "subject": f"Hi{char}Bcc : evil@attacker.example{char}{char}Injected first body line",
        "contact": f"Ada{char}Bcc: evil@attacker.example",
        "sender": f"Olivia{char}{char}X-Injected: 1",
    }


CLEAN = {
    "subject": "Hi Bcc : evil@attacker.example Injected first body line",
    "contact": "Ada Bcc: evil@attacker.example",
    "sender": "Olivia X-Injected: 1",
}


def parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def assert_whole(message, expected_headers: list[str]) -> None:
    """No defect anywhere, and exactly the headers expected at the top."""
    for part in message.walk():
        assert part.defects == [], part.defects
        for name, value in part.items():
            assert value.defects == (), (name, value.defects)
    assert sorted(message.keys()) == sorted(expected_headers)
    assert "Bcc" not in message


@pytest.mark.parametrize("char", STORABLE, ids=lambda char: f"U+{ord(char):04X}")
def test_eml_header_block_survives_every_control_character_stored_in_the_database(
    owner_client, owner, char
):
    values = hostile(char)
    User.objects.filter(pk=owner.pk).update(name=values["sender"])
    application = ApplicationFactory(owner=owner)
    contact = ContactFactory(owner=owner, email="ada@acme.example")
    Contact.objects.filter(pk=contact.pk).update(name=values["contact"])
    letter = LetterFactory(application=application, contact=contact)
    Letter.objects.filter(pk=letter.pk).update(subject=values["subject"], body=BODY)

    response = owner_client.get(reverse("letters:eml", args=[letter.pk]))

    assert response.status_code == 200
    message = parse(response.content)
    assert_whole(message, HEADERS)
    assert message["Subject"] == CLEAN["subject"]
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (CLEAN["sender"], owner.email)
    (recipient,) = message["To"].addresses
    assert (recipient.display_name, recipient.addr_spec) == (CLEAN["contact"], "ada@acme.example")
    assert message["X-Unsent"] == "1"
    assert message.get_body(("plain",)).get_content().rstrip("\n") == BODY


@pytest.mark.parametrize("char", STORABLE, ids=lambda char: f"U+{ord(char):04X}")
def test_eml_attachment_name_with_a_control_character_keeps_its_part_whole(
    owner_client, owner, settings, tmp_path, char
):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(owner=owner)
    letter = LetterFactory(application=application, subject="Thank you", body=BODY)
    gift = Gift(letter=letter, kind="article", title="Notes")
    gift.file.save("notes.txt", ContentFile(b"notes"), save=False)
    gift.save()
    Gift.objects.filter(pk=gift.pk).update(file_name=f"notes{char}Bcc: x{char}{char}.txt")

    response = owner_client.get(reverse("letters:eml", args=[letter.pk]))

    assert response.status_code == 200
    message = parse(response.content)
    assert_whole(message, [h for h in HEADERS if h != "Content-Transfer-Encoding"])
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "notes Bcc: x .txt"
    assert attachment.get_payload(decode=True) == b"notes"
    assert message.get_body(("plain",)).get_content().rstrip("\n") == BODY


@pytest.mark.parametrize("char", CONTROLS, ids=lambda char: f"U+{ord(char):04X}")
def test_eml_builder_cleans_every_control_character_itself(char):
    """NUL too, which the database cannot hold but an unsaved letter can."""
    values = hostile(char)
    letter = SimpleNamespace(
        subject=values["subject"],
        contact=SimpleNamespace(name=values["contact"], email="ada@acme.example"),
        gift_or_none=None,
    )
    sender = SimpleNamespace(name=values["sender"], email="olivia@example.com")

    message = parse(composing.as_eml(letter=letter, body=BODY, sender=sender))

    assert_whole(message, HEADERS)
    assert message["Subject"] == CLEAN["subject"]
    assert message["From"].addresses[0].display_name == CLEAN["sender"]
    assert message["To"].addresses[0].display_name == CLEAN["contact"]


def test_eml_leaves_out_a_recipient_whose_stored_address_holds_a_control_character(
    owner_client, owner
):
    """Django's address check accepts a quoted local part with a vertical tab in it; such an
    address is not written into the header block at all (the draft opens without a recipient)."""
    application = ApplicationFactory(owner=owner)
    contact = ContactFactory(owner=owner)
    Contact.objects.filter(pk=contact.pk).update(email='"ada\x0bBcc:evil"@acme.example')
    letter = LetterFactory(application=application, contact=contact, body=BODY)

    response = owner_client.get(reverse("letters:eml", args=[letter.pk]))

    assert response.status_code == 200
    message = parse(response.content)
    assert_whole(message, [h for h in HEADERS if h != "To"])


def test_eml_leaves_out_a_sender_whose_stored_address_holds_a_control_character(
    owner_client, owner
):
    """The mail client opening the draft fills in the account it sends from."""
    User.objects.filter(pk=owner.pk).update(email='"olivia\x0cX-Injected: 1"@example.com')
    letter = LetterFactory(application=ApplicationFactory(owner=owner), body=BODY)

    response = owner_client.get(reverse("letters:eml", args=[letter.pk]))

    assert response.status_code == 200
    assert_whole(parse(response.content), [h for h in HEADERS if h != "From"])


@pytest.mark.parametrize("char", CONTROLS, ids=lambda char: f"U+{ord(char):04X}")
def test_mailto_link_carries_no_control_character_in_its_subject(char):
    letter = SimpleNamespace(
        subject=f"Hi{char}Bcc: evil@attacker.example",
        contact=SimpleNamespace(email="ada@acme.example"),
    )
    link = composing.mailto_link(letter=letter, body="Line one.\nLine two.")
    assert link == (
        "mailto:ada%40acme.example?subject=Hi%20Bcc%3A%20evil%40attacker.example"
        "&body=Line%20one.%0ALine%20two."
    )


def test_assembled_body_writes_names_and_titles_on_one_line():
    """The greeting, the gift's line and the signature are one line each in the body too."""
    letter = SimpleNamespace(
        contact_id=1,
        contact=SimpleNamespace(name="Ada\x0bPark"),
        appreciation="Thank you.",
        still_interested="",
        great_fit="",
        availability="",
    )
    gift = SimpleNamespace(
        kind="list",
        title="Three\u2028reads",
        inspiration="",
        sentence="",
        item_list=lambda: ["One"],
    )

    body = composing.assemble_body(letter=letter, gift=gift, signature="Olivia\x0cOwner")

    assert body == (
        "Dear Ada,\n\nThank you.\n\nI put together a short list for you, “Three reads”:\n- One"
        "\n\nBest regards,\nOlivia Owner"
    )
