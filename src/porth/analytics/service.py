"""The public API of performance data, for the other apps and the project's own modules."""
