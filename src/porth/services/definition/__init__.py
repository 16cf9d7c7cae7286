"""Service definitions: the format (Pydantic models), its checks, the YAML loader, and
the ISO 8601 durations they use (`durations.add`, for SLAs too)."""

from . import durations
from .conditions import ConditionError, Scope
from .loader import DefinitionError, load_file, load_folder, parse
from .models import CHECK_ANSWERS, Definition, Page, Question, Text

__all__ = [
    "CHECK_ANSWERS",
    "ConditionError",
    "Definition",
    "DefinitionError",
    "Page",
    "Question",
    "Scope",
    "Text",
    "durations",
    "load_file",
    "load_folder",
    "parse",
]
