"""The open data app's public API, for the project's own modules.

- `publish_performance` makes or refreshes the performance dataset of every live service
  (performance.py); the periodic task calls it, and `porth opendata_publish`.
"""

from .performance import Outcome
from .performance import publish as publish_performance

__all__ = ["Outcome", "publish_performance"]
