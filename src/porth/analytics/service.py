"""The public API of performance data, for the other apps and the project's own modules."""

from .experiments import ExperimentResult, results
from .satisfaction import RATINGS, Comment, comments

__all__ = ["RATINGS", "Comment", "ExperimentResult", "comments", "results"]
