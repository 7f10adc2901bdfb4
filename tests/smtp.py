"""A real SMTP server on loopback for tests: records what it accepts, and can refuse on demand."""

import email
import email.policy
import errno
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    # aiosmtpd connects back to its own port to check it started, so it cannot bind port 0.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ReceivedMessage:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


@dataclass
class RecordingHandler:
    """Keeps every accepted message; `refusals` are SMTP replies given to the next DATA commands."""

    messages: list[ReceivedMessage] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    # Address -> reply to RCPT TO, e.g. "550 5.1.1 No such user".
    rcpt_refusals: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_refusals:
            return self.rcpt_refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            if self.refusals:
                return self.refusals.pop(0)
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(
                ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), parsed)
            )
        return "250 Message accepted"


class SMTPServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.port_was_chosen = port is None
        self.handler = RecordingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    def start(self, attempts: int = 5):
        for attempt in range(attempts):
            try:
                self.controller.start()
                return self
            except OSError as error:
                # The port was free when chosen, and another process (a parallel test run) took
                # it before the server bound it: choose again.
                taken = error.errno == errno.EADDRINUSE and self.port_was_chosen
                if not taken or attempt == attempts - 1:
                    raise
                self.controller.loop.close()
                self.port = free_port()
                self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def stop(self):
        self.controller.stop()

    def restart(self):
        """Come back on the same port, keeping what was received (a server back from downtime)."""
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def to(self, address: str) -> list[ReceivedMessage]:
        return [m for m in self.messages if address in m.recipients]

    def wait_for(self, count: int = 1, *, to: str | None = None, timeout: float = 15):
        """Wait until `count` messages (to `to`, if given) have arrived, and return them."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.to(to) if to else self.messages
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} message(s), got {len(found)} in {timeout}s")
            time.sleep(0.05)


class SilentServer:
    """Accepts TCP connections and never says a word: the mail server that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _accept(self):
        self.sock.settimeout(0.2)
        while self.running:
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(connection)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.running = False
        self.thread.join()
        for connection in self.connections:
            connection.close()
        self.sock.close()
