"""One run at a time per warehouse, held by a live process.

The claim is an exclusive `flock` on `<warehouse>.lock`. The kernel releases it when the process
that holds it ends, however it ends (`kill -9` included), so a dead run's claim is never waited
for. A process may claim the same warehouse more than once (the command line claims it before it
starts the job, whose resources claim it again); the lock is released with the last release.

The lock file also says who holds it (pid, host, since, what), for the message of a run that has
to wait. Its content is informational only: the lock is the kernel's.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

_held: dict[Path, tuple[int, int]] = {}   # lock path -> (file descriptor, claims by this process)
_guard = threading.Lock()


def holder(lock: Path) -> str:
    """Who holds the lock, as the lock file says (empty when unknown)."""
    try:
        info = json.loads(lock.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return ""
    if not info:
        return ""
    return f"{info.get('what', 'a run')} (pid {info.get('pid')} on {info.get('host')}, since {info.get('since')} UTC)"


def acquire(lock: Path, *, what: str, wait: bool = True,
            on_wait: Callable[[str], None] | None = None) -> bool:
    """Claim the warehouse of `lock`. With `wait`, block until it is free (calling `on_wait` once
    with who holds it); without, return False at once when another process holds it."""
    lock = lock.resolve()
    with _guard:
        if lock in _held:
            fd, count = _held[lock]
            _held[lock] = (fd, count + 1)
            return True
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                os.close(fd)
                return False
            if on_wait is not None:
                on_wait(holder(lock) or "another run")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "what": what,
            "since": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")}).encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    with _guard:
        _held[lock] = (fd, 1)
    return True


def release(lock: Path) -> None:
    lock = lock.resolve()
    with _guard:
        fd, count = _held[lock]
        if count > 1:
            _held[lock] = (fd, count - 1)
            return
        del _held[lock]
    os.ftruncate(fd, 0)
    os.close(fd)   # closing the descriptor releases the flock


@contextmanager
def claimed(lock: Path, *, what: str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    acquire(lock, what=what, on_wait=on_wait)
    try:
        yield
    finally:
        release(lock)


@contextmanager
def claimed_if_free(lock: Path, *, what: str) -> Iterator[bool]:
    """Claim the warehouse only if nobody holds it; yields whether it was claimed."""
    got = acquire(lock, what=what, wait=False)
    try:
        yield got
    finally:
        if got:
            release(lock)
