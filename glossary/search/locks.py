"""A cross-process lock on a file: one index writer at a time among gunicorn workers and CLIs.

``flock`` locks belong to the open file, so the kernel drops them when the holder dies, even by
SIGKILL: a killed writer never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POLL_SECONDS = 0.05
# Paths this thread holds: flock is per open file, so taking the lock again through a second
# descriptor (apply_pending → backend.index → first-time index creation) would wait forever.
_held = threading.local()


@contextmanager
def file_lock(path: Path, wait: float | None = None) -> Iterator[bool]:
    """Hold an exclusive lock on ``path``; yields False if ``wait`` seconds passed without it.

    ``wait=None`` blocks until the lock is free; ``wait=0`` only tries once.
    """
    key = str(path.resolve())
    held: set[str] = _held.__dict__.setdefault("paths", set())
    if key in held:  # re-entered by the holder itself
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        acquired = _acquire(fd, wait)
        if acquired:
            held.add(key)
        try:
            yield acquired
        finally:
            if acquired:
                held.discard(key)
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, wait: float | None) -> bool:
    if wait is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return True
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)
