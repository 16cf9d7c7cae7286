"""`--profile`: the standard library's cProfile around the measured work, read with pstats.

One profiler for every benchmark, so that their profiles read alike and need nothing installed.
Profiling slows every call: a profile ranks where the time goes, and figures timed while it
runs (bench inprocess's) are not comparable with a run without `--profile`.
"""

import cProfile
import io
import pstats
from types import TracebackType


class Profiler:
    """Profiles the blocks run `with` it when on; does nothing when off."""

    def __init__(self, on: bool = True) -> None:
        self.on = on
        self._profile = cProfile.Profile() if on else None

    def __enter__(self) -> None:
        if self._profile is not None:
            self._profile.enable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._profile is not None:
            self._profile.disable()

    def report(self, what: str, *, by_own_time: int, by_cumulative: int) -> str:
        """The functions that took longest, by own time then by cumulative time ("" when off)."""
        if self._profile is None:
            return ""
        out = io.StringIO()
        out.write(
            f"cProfile of {what}: the {by_own_time} functions with the most own time, "
            f"then the {by_cumulative} with the most cumulative time\n"
        )
        stats = pstats.Stats(self._profile, stream=out).strip_dirs()
        stats.sort_stats(pstats.SortKey.TIME).print_stats(by_own_time)
        stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(by_cumulative)
        return out.getvalue().rstrip()
