"""A worker's memory of the rows it read or wrote lately ("journey_memory").

Every answer is a POST that saves the journey and a GET of the next page that reads it back,
usually in the same worker (the browser keeps its connection), so the journey store keeps
what it saved here and reads the database only when this worker has not got the revision the
browser names. Bounded in size and in time: an entry is gone after `seconds`, so whatever
changed elsewhere (another worker, a command) without this worker knowing cannot be shown
for longer than that; changes made in this process call `forget`.
"""

import threading
import time
from collections import OrderedDict
from typing import Any


class Recent:
    def __init__(self, *, size: int, seconds: float) -> None:
        self.size, self.seconds = size, seconds
        self._kept: OrderedDict[Any, tuple[Any, float]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: Any, what: Any) -> None:
        now = time.monotonic()
        kept = self._kept
        with self._lock:
            kept[key] = (what, now)
            kept.move_to_end(key)
            while kept and (
                len(kept) > self.size or now - next(iter(kept.values()))[1] >= self.seconds
            ):
                kept.popitem(last=False)

    def get(self, key: Any) -> Any:
        """What was put under `key` less than `seconds` ago, or None."""
        with self._lock:
            found = self._kept.get(key)
        if found is None or time.monotonic() - found[1] >= self.seconds:
            return None
        return found[0]

    def forget(self, key: Any) -> None:
        with self._lock:
            self._kept.pop(key, None)
