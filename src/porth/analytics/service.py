"""The public API of performance data, for the other apps and the project's own modules.

- Recording: `record(kind, service, journey_id=…, …)` and `journey_key` (recorder.py).
- Periods and figures, read from the rollups: `Period`, `figures`, `overview`, `daily` and
  their dataclasses (kpis.py); `buckets` for reading histograms.
- Keeping the rollups current: `roll_up` (the periodic task runs it), `behind`.
- Retention: `prune` and `count_due` (porth.retention calls them daily).
- Experiments: `results` (experiments.py).
- Satisfaction: `comments`, screened, for the dashboards (satisfaction.py).
"""

from . import buckets
from .experiments import ExperimentResult, results
from .figures import Durations, ErrorRow, Figures, FunnelStep, Kpis, QueueThroughput, Ratio
from .kpis import CHANNELS, DEVICES, daily, figures, overview
from .periods import KINDS as PERIOD_KINDS
from .periods import Period
from .pruning import count_due, prune
from .recorder import flush, journey_key, record
from .rollups import behind, day_of, roll_up
from .satisfaction import RATINGS, Comment, comments

__all__ = [
    "CHANNELS",
    "DEVICES",
    "PERIOD_KINDS",
    "RATINGS",
    "Comment",
    "Durations",
    "ErrorRow",
    "ExperimentResult",
    "Figures",
    "FunnelStep",
    "Kpis",
    "Period",
    "QueueThroughput",
    "Ratio",
    "behind",
    "buckets",
    "comments",
    "count_due",
    "daily",
    "day_of",
    "figures",
    "flush",
    "journey_key",
    "overview",
    "prune",
    "record",
    "results",
    "roll_up",
]
