"""At most `PASSWORD_CHECK_SLOTS` password checks at a time, across every web process.

Checking a password is slow on purpose (PBKDF2: a few hundred milliseconds of one core). The
rate limits stop one address and one account, but credential stuffing from many addresses with
many email addresses passes both, and each attempt, even for an unknown email, costs a hash
(Django hashes anyway so that timing does not tell which accounts exist). With every web process
hashing, pages wait for a core. A check therefore runs only while it holds one of the slots,
kept in the shared cache; when all are taken the attempt is refused at once, without hashing,
and the person is asked to try again in a moment.
"""

import secrets
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

# Far longer than a hash takes: a slot held by a process that died frees itself.
SLOT_SECONDS = 30

BUSY_MESSAGE = "Too many sign-ins are being checked right now. Please try again in a few seconds."


def _slot_key(index: int) -> str:
    return f"password-check-slot:{index}"


@contextmanager
def password_check_slot():
    """Hold a free slot for the duration of the block (yields True), or yield False at once."""
    holder = secrets.token_hex(8)
    for index in range(settings.PASSWORD_CHECK_SLOTS):
        # add() sets the key only where it is missing: atomic in Redis, so two processes
        # cannot take the same slot.
        if cache.add(_slot_key(index), holder, timeout=SLOT_SECONDS):
            try:
                yield True
            finally:
                # Only our own: a check that outlived SLOT_SECONDS must not free the slot that
                # another process took after it expired.
                if cache.get(_slot_key(index)) == holder:
                    cache.delete(_slot_key(index))
            return
    yield False
