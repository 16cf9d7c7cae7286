"""Service definitions: the format (Pydantic models), its checks, and the YAML loader."""

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
    "load_file",
    "load_folder",
    "parse",
]
