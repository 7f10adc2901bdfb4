"""Turn a letter's parts and gift into text, and into forms a mail client opens."""

from email.utils import formataddr
from urllib.parse import quote

from django.core.mail import EmailMessage

from .models import GiftKind, Letter


def gift_paragraph(gift) -> str:
    """The lines that offer the gift and say what prompted it."""
    if gift is None:
        return ""
    lines = []
    if gift.inspiration.strip():
        lines.append(f"When we spoke, you mentioned {gift.inspiration.strip().rstrip('.')}.")
    if gift.kind == GiftKind.INTRODUCTION and gift.introduced_contact is not None:
        person = gift.introduced_contact
        lines.append(f"I would be glad to introduce you to {person.name}; here are their details:")
        lines.append(person.details_for_introduction)
    elif gift.kind == GiftKind.LIST:
        lines.append(f"I put together a short list{': ' + gift.title if gift.title else ''}:")
        lines += [f"- {item}" for item in gift.item_list()]
    else:
        what = gift.title or "something"
        lines.append(f"I thought you might enjoy {what}" + (f": {gift.url}" if gift.url else "."))
        if gift.file and not gift.url:
            lines.append(f"I have attached it ({gift.file_name}).")
    return "\n".join(lines)


def assemble_body(*, letter: Letter, gift, signature: str) -> str:
    """The letter's text from its parts, in the order a reader expects them."""
    first_name = letter.contact.name.split(" ")[0] if letter.contact_id else ""
    paragraphs = [
        f"Dear {first_name},",
        letter.appreciation,
        letter.still_interested,
        letter.great_fit,
        gift_paragraph(gift),
        letter.availability,
        f"Best regards,\n{signature}",
    ]
    return "\n\n".join(p.strip() for p in paragraphs if p and p.strip())


def effective_body(*, letter: Letter, gift, signature: str) -> str:
    """What would be sent: the edited body, or the parts assembled while it is still empty."""
    return letter.body.strip() or assemble_body(letter=letter, gift=gift, signature=signature)


def as_email(*, letter: Letter, body: str, sender) -> EmailMessage:
    message = EmailMessage(
        subject=letter.subject,
        body=body,
        from_email=formataddr((sender.name, sender.email)),
        to=[formataddr((letter.contact.name, letter.contact.email))]
        if letter.contact.email
        else [],
        # Mail clients open a message with this header as a draft, ready to send.
        headers={"X-Unsent": "1"},
    )
    gift = letter.gift_or_none
    if gift is not None and gift.file:
        with gift.file.open("rb") as handle:
            message.attach(gift.file_name or "attachment", handle.read())
    return message


def as_eml(*, letter: Letter, body: str, sender) -> bytes:
    return as_email(letter=letter, body=body, sender=sender).message().as_bytes()


def mailto_link(*, letter: Letter, body: str) -> str:
    return (
        f"mailto:{quote(letter.contact.email)}?subject={quote(letter.subject)}&body={quote(body)}"
    )
