"""Events from the other apps' signals (their arguments are documented where they are
declared: porth.submissions.signals, porth.casework.signals)."""
