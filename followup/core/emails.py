"""Render and send the product's own emails: subject, plain text and HTML from templates/emails/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def build_email(
    template: str, context: dict, *, to: list[str], headers: dict | None = None
) -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_plain_text(f"emails/{template}-subject.txt", context)
    # A newline in a subject would be refused by the mail library; templates end with one.
    subject = " ".join(subject.split())
    text = render_plain_text(f"emails/{template}-body.txt", context)
    html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to, headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def render_plain_text(name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: "O'Brien" stays "O'Brien"."""
    return get_template(name).template.render(Context(context, autoescape=False))
