"""Where the CPU goes while bench/load.py measures: server, database, the bench, the rest."""

import os
import threading
import time

from bench.common import TICK, process_cpu


def _processes() -> dict[int, tuple[int, float, str]]:
    """Every process: pid -> (parent pid, CPU seconds used so far, command line)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent, cpu = process_cpu(entry)
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        table[int(entry)] = (parent, cpu, command)
    return table


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


class CpuSampler:
    """Samples, twice a second, the CPU used by the server, its database and everything else.

    The machine is shared: other work on it (a test suite, say) takes CPU from the server, and
    the figures mean little without saying how much.
    """

    def __init__(self, server_pid: int, db: str):
        self.server_pid, self.db = server_pid, db
        self.samples: list[tuple[float, dict]] = []
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self) -> dict:
        table = _processes()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)

        def tree(root: int) -> set[int]:
            found, todo = set(), [root]
            while todo:
                pid = todo.pop()
                if pid in table and pid not in found:
                    found.add(pid)
                    todo += children.get(pid, [])
            return found

        server = tree(self.server_pid)
        bench = tree(os.getpid()) - server
        database = {pid for pid, (_, _, command) in table.items() if f" {self.db} " in command}
        busy, total = _machine()
        return {
            "server": {pid: table[pid][1] for pid in server},
            "database": {pid: table[pid][1] for pid in database},
            "bench": {pid: table[pid][1] for pid in bench},
            "busy": busy,
            "total": total,
        }

    def _run(self):
        while not self.stop_event.is_set():
            self.samples.append((time.time(), self._sample()))
            self.stop_event.wait(0.5)

    def stop(self):
        self.stop_event.set()
        self.thread.join()

    def wait_quiet(self, below: float, at_most: float) -> float:
        """Wait (at most `at_most` s) until other work used under `below` % for 2 s; how long."""
        started = time.time()
        while time.time() - started < at_most:
            now = time.time()
            if self.share(now - 2.2, now).get("other", 100.0) < below:
                break
            time.sleep(0.5)
        return time.time() - started

    def share(self, start: float, end: float) -> dict:
        """CPU use between two times, in % of the whole machine, by group."""
        inside = [sample for at, sample in self.samples if start <= at <= end]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        total = last["total"] - first["total"]
        if total <= 0:
            return {}
        # Per process: one that started in the window counts whole, one that ended is lost.
        share = {
            key: 100.0
            * sum(cpu - first[key].get(pid, 0.0) for pid, cpu in last[key].items())
            / total
            for key in ("server", "database", "bench")
        }
        share["busy"] = 100.0 * (last["busy"] - first["busy"]) / total
        # CPU seconds, for a cost per request that waiting for a core does not inflate.
        share["server_seconds"] = share["server"] * total / 100.0
        share["database_seconds"] = share["database"] * total / 100.0
        share["other"] = max(
            0.0, share["busy"] - share["server"] - share["database"] - share["bench"]
        )
        return share
