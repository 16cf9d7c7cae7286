"""The public API of performance data, for the other apps and the project's own modules."""

from .experiments import ExperimentResult, results

__all__ = ["ExperimentResult", "results"]
