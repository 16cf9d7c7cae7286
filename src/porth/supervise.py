"""Keep a server process running: `porth serve` runs Granian under `supervise()`.

Granian replaces a worker that dies (`--respawn-failed-workers`), but exits when a worker it
has just replaced dies again within seconds ("worker crash loop"), and nothing serves then.
So `porth serve` starts Granian again whenever it ends abnormally, after a pause that doubles
while it keeps failing. A stop signal (SIGTERM from systemd or a container runtime, SIGINT
from Ctrl-C) stops Granian gracefully and ends `porth serve`; so does Granian exiting by
itself with status 0.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import FrameType

# SIGHUP too: Granian has its own process group (below), so when the terminal that started
# `porth serve` closes, only `porth serve` hears it and must stop Granian itself.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@dataclass(frozen=True)
class Backoff:
    """The pause before each restart: `first`, doubled after each failure up to `most`, and
    back to `first` once the server has run `healthy` seconds (its failure is then news, not
    the same fault again)."""

    first: float = 1.0
    most: float = 30.0
    healthy: float = 60.0


def _describe(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with status {code}"


class Supervisor:
    def __init__(self, argv: Sequence[str], backoff: Backoff, name: str) -> None:
        self.argv = list(argv)
        self.backoff = backoff
        self.name = name
        self.child: subprocess.Popen[bytes] | None = None
        self.stop_signal: int | None = None

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signal = signum
        if self.child is not None:
            # Granian stops gracefully on SIGTERM or SIGINT, letting requests finish.
            self.child.send_signal(signal.SIGTERM)

    def _run_once(self) -> int:
        # Its own process group: when Granian is killed outright its workers live on, still
        # serving (the old code, after a deploy) beside the new ones; they are stopped with it.
        self.child = subprocess.Popen(self.argv, process_group=0)
        if self.stop_signal is not None:  # arrived while it was starting
            self.child.send_signal(signal.SIGTERM)
        code = self.child.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.child.pid, signal.SIGKILL)
        self.child = None
        return code

    def _pause(self, seconds: float) -> None:
        """Sleep, but end at once on a stop signal (blocked, so none slips in unseen)."""
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            if self.stop_signal is None:
                received = signal.sigtimedwait(STOP_SIGNALS, seconds)
                if received is not None:
                    self.stop_signal = received.si_signo
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def run(self) -> int:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_stop)
        delay = self.backoff.first
        while self.stop_signal is None:
            started = time.monotonic()
            code = self._run_once()
            if self.stop_signal is not None or code == 0:
                return max(code, 0)  # stopped by the signal it was sent: a clean stop
            if time.monotonic() - started >= self.backoff.healthy:
                delay = self.backoff.first
            print(
                f"porth serve: {self.name} {_describe(code)}; starting it again in {delay:g} s",
                file=sys.stderr,
                flush=True,
            )
            self._pause(delay)
            delay = min(delay * 2, self.backoff.most)
        return 0


def supervise(argv: Sequence[str], *, name: str, backoff: Backoff | None = None) -> int:
    """Run `argv` until it exits with status 0 or a stop signal arrives, starting it again
    whenever it fails; return the exit status for `porth serve`."""
    return Supervisor(argv, backoff or Backoff(), name).run()
