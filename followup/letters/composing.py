"""Turn a letter's parts and gift into text, and into forms a mail client opens."""

from dataclasses import dataclass, field
from email.utils import formataddr
from functools import cached_property
from urllib.parse import quote

from django.core.mail import EmailMessage

from followup.core.text import has_control_characters, single_line

from . import checklist
from .checklist import ChecklistItem
from .gift_sentences import gift_sentence
from .models import Gift, GiftKind, Letter
from .parts import FIELDS


def gift_paragraph(gift) -> str:
    """The sentence that offers the gift and says what prompted it, then what it is.

    The sentence is the person's own when they wrote one, else the generated one. What follows
    it goes on lines of its own: the link (unless their sentence already holds it), the list's
    items, the introduced person's details.
    """
    if gift is None:
        return ""
    sentence = gift.sentence.strip() or gift_sentence(gift)
    lines = [sentence]
    if gift.kind == GiftKind.INTRODUCTION and gift.introduced_contact_id:
        lines.append(gift.introduced_contact.details_for_introduction)
    elif gift.kind == GiftKind.LIST:
        lines += [f"- {item}" for item in gift.item_list()]
    elif gift.url and gift.url not in sentence:
        lines.append(gift.url)
    return "\n".join(lines)


def assemble_body(*, letter: Letter, gift, signature: str) -> str:
    """The letter's text from its parts, in the order a reader expects them."""
    first_name = single_line(letter.contact.name).split(" ")[0] if letter.contact_id else ""
    paragraphs = [
        f"Dear {first_name},",
        letter.appreciation,
        letter.still_interested,
        letter.great_fit,
        gift_paragraph(gift),
        letter.availability,
        f"Best regards,\n{single_line(signature)}",
    ]
    return "\n\n".join(p.strip() for p in paragraphs if p and p.strip())


def effective_body(*, letter: Letter, gift, signature: str) -> str:
    """What would be sent: the edited body, or the parts assembled while it is still empty."""
    return letter.body.strip() or assemble_body(letter=letter, gift=gift, signature=signature)


def signature_of(letter: Letter) -> str:
    """The letter is signed by the person whose letter it is, whoever is looking at it."""
    owner = letter.application.owner
    return owner.name or owner.email


@dataclass(frozen=True)
class Draft:
    """A letter's text as it would be sent now, and what the checklist finds in it."""

    kind: str
    gift: Gift | None
    signature: str
    body: str
    # What was written in each part's field: a part written and still in the body is there.
    parts: dict[str, str] = field(default_factory=dict)

    @cached_property
    def checklist(self) -> list[ChecklistItem]:
        # Read when asked for: the .eml needs the text only, and a gift's introduced contact
        # costs a query.
        return checklist.check(kind=self.kind, body=self.body, gift=self.gift, parts=self.parts)

    @property
    def missing(self) -> list[ChecklistItem]:
        return checklist.missing(self.checklist)


def draft_of(letter: Letter) -> Draft:
    """The letter as it stands, saved or just typed: its gift, its signature, its body."""
    gift = letter.gift_or_none
    signature = signature_of(letter)
    body = effective_body(letter=letter, gift=gift, signature=signature)
    parts = {name: getattr(letter, name) for name in FIELDS}
    return Draft(kind=letter.kind, gift=gift, signature=signature, body=body, parts=parts)


def usable_address(address: str) -> str:
    """Return the address, or "" when it cannot go into a header as it is.

    Django's address check accepts a quoted local part holding a vertical tab or a form feed;
    such an address is left out rather than cleaned into another person's.
    """
    return "" if has_control_characters(address) else address


def as_email(*, letter: Letter, body: str, sender) -> EmailMessage:
    """Build the letter as a draft message.

    Every header value is made one line here, whatever the forms let through: rows stored
    before the forms cleaned their text still hold line breaks and vertical tabs, and
    email.header.Header would start a new header line (or the body) at each of them.
    A sender without a usable address gets the site's address here, and none in as_eml.
    """
    sender_address = usable_address(sender.email)
    recipient = usable_address(letter.contact.email)
    message = EmailMessage(
        subject=single_line(letter.subject),
        body=body,
        from_email=formataddr((single_line(sender.name), sender_address))
        if sender_address
        else None,
        to=[formataddr((single_line(letter.contact.name), recipient))] if recipient else [],
        # Mail clients open a message with this header as a draft, ready to send.
        headers={"X-Unsent": "1"},
    )
    gift = letter.gift_or_none
    if gift is not None and gift.file:
        with gift.file.open("rb") as handle:
            message.attach(single_line(gift.file_name) or "attachment", handle.read())
    return message


def as_eml(*, letter: Letter, body: str, sender) -> bytes:
    message = as_email(letter=letter, body=body, sender=sender).message()
    if not usable_address(sender.email):
        # The mail client that opens the draft fills in the account it sends from.
        del message["From"]
    return message.as_bytes()


def mailto_link(*, letter: Letter, body: str) -> str:
    """Build a mailto: link; its address and subject are made safe as for the .eml.

    quote() encodes "?", "&" and "=", so no value can add a field to the link.
    """
    address = usable_address(letter.contact.email)
    subject = single_line(letter.subject)
    return f"mailto:{quote(address)}?subject={quote(subject)}&body={quote(body)}"
