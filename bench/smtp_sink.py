"""An SMTP sink for bench/send.py that only counts: messages, bytes and EHLOs (SMTP sessions).

It runs in its own process so its CPU does not compete with the sender for one GIL.
"""

import multiprocessing

from bench.common import free_port


class CountingHandler:
    def __init__(self, messages, sessions, size):
        self.messages, self.sessions, self.size = messages, sessions, size

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.sessions.get_lock():
            self.sessions.value += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        with self.messages.get_lock():
            self.messages.value += 1
            self.size.value += len(envelope.content)
        return "250 OK"


def run_sink(port, ready, stop, messages, sessions, size) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(
        CountingHandler(messages, sessions, size), hostname="127.0.0.1", port=port
    )
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class Sink:
    def __init__(self):
        context = multiprocessing.get_context("spawn")
        # aiosmtpd connects to its own port to check it started, so it cannot be given port 0.
        self.port = free_port()
        self.messages = context.Value("q", 0)
        self.sessions = context.Value("q", 0)
        self.size = context.Value("q", 0)
        self.ready, self.stop_event = context.Event(), context.Event()
        self.process = context.Process(
            target=run_sink,
            args=(self.port, self.ready, self.stop_event, self.messages, self.sessions, self.size),
            daemon=True,
        )

    def start(self):
        self.process.start()
        if not self.ready.wait(30):
            raise SystemExit("the SMTP sink did not start")
        return self

    def stop(self):
        self.stop_event.set()
        self.process.join(10)

    def counts(self) -> tuple[int, int, int]:
        return self.messages.value, self.sessions.value, self.size.value
