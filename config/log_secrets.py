"""Keep the keys that travel in addresses out of the logs.

A calendar feed's address is its only key (calendar apps cannot log in), and so are an
unsubscribe link's and an invitation's. Logs are read by more people, and kept longer, than
those keys should be: every logged path has the key replaced by `[hidden]`, in Django's own
log lines (a 404 names its path) and in gunicorn's access log (`config.gunicorn_logging`, the
Dockerfile's `--logger-class`).
"""

import logging
import re

SECRET_PATH_PREFIXES = ("/calendar/feed/", "/reminders/unsubscribe/", "/coaching/invitations/")
_SECRET = re.compile("(" + "|".join(map(re.escape, SECRET_PATH_PREFIXES)) + r")[^/\s?\"'#]+")


def redact(text: str) -> str:
    return _SECRET.sub(r"\1[hidden]", text)


class RedactSecretPaths(logging.Filter):
    """A logging filter that hides the keys in a record's message (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = redact(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
