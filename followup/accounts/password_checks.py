"""At most `PASSWORD_CHECK_SLOTS` password checks at a time, across every web process.

Checking a password is slow on purpose (PBKDF2: a few hundred milliseconds of one core). The
rate limits stop one address and one account, but credential stuffing from many addresses with
many email addresses passes both, and each attempt, even for an unknown email, costs a hash
(Django hashes anyway so that timing does not tell which accounts exist). With every web process
hashing, pages wait for a core. A check therefore runs only while it holds one of the slots,
kept in the shared cache.

When all are taken, an attempt waits for one, up to `PASSWORD_CHECK_WAIT_SECONDS`: on a small
server with one slot, two people logging in within the same half second is ordinary, and the
second must not be told to come back. A waiting attempt holds a web worker, so at most
`PASSWORD_CHECK_QUEUE` attempts wait at once, their places kept in the shared cache like the
slots; beyond them an attempt is refused at once, without hashing, and the person is asked to
try again in a moment. A storm fills the queue and is refused; pages keep the other workers.
"""

import secrets
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

# Far longer than a hash takes: a slot held by a process that died frees itself.
SLOT_SECONDS = 30
# How often a waiting attempt looks for a free slot, in seconds, plus up to as much again at
# random, so that waiters do not ask the cache in step.
POLL_SECONDS = 0.05

BUSY_MESSAGE = "Too many sign-ins are being checked right now. Please try again in a few seconds."


def _slot_key(index: int) -> str:
    return f"password-check-slot:{index}"


def _queue_key(index: int) -> str:
    return f"password-check-queue:{index}"


def _take(key, count: int, holder: str, seconds: float) -> str | None:
    """Take the first free one of `count` places named by `key(index)`; its key, or None."""
    for index in range(count):
        # add() sets the key only where it is missing: atomic in Redis, so two processes
        # cannot take the same place.
        if cache.add(key(index), holder, timeout=seconds):
            return key(index)
    return None


def _give_back(taken: str, holder: str) -> None:
    # Only our own: a holder that outlived its place must not free the one that another
    # process took after it expired.
    if cache.get(taken) == holder:
        cache.delete(taken)


def _wait_for_slot(holder: str) -> str | None:
    """Wait in the queue for a slot, up to the wait; None at once when the queue is full."""
    wait = settings.PASSWORD_CHECK_WAIT_SECONDS
    # The place outlives the wait a little, so that a waiter that died frees it soon.
    place = _take(_queue_key, settings.PASSWORD_CHECK_QUEUE, holder, wait + 5)
    if place is None:
        return None
    try:
        deadline = time.monotonic() + wait
        while (remaining := deadline - time.monotonic()) > 0:
            time.sleep(min(remaining, POLL_SECONDS + secrets.randbelow(50) / 1000))
            slot = _take(_slot_key, settings.PASSWORD_CHECK_SLOTS, holder, SLOT_SECONDS)
            if slot is not None:
                return slot
        return None
    finally:
        _give_back(place, holder)


@contextmanager
def password_check_slot():
    """Hold a slot for the duration of the block (yields True), waiting in the queue for one if
    need be; yield False when the queue is full or the wait ran out."""
    holder = secrets.token_hex(8)
    slot = _take(_slot_key, settings.PASSWORD_CHECK_SLOTS, holder, SLOT_SECONDS)
    if slot is None:
        slot = _wait_for_slot(holder)
    if slot is None:
        yield False
        return
    try:
        yield True
    finally:
        _give_back(slot, holder)
