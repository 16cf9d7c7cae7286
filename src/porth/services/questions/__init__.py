"""Question types: parsing and validation (plain Python) and their templates."""

from . import types as _types  # noqa: F401 - registers the built-in types
from . import uk as _uk  # noqa: F401 - and the UK identifiers and addresses
from .base import Invalid, QuestionType, Raw, get, register, registered

__all__ = ["Invalid", "QuestionType", "Raw", "get", "register", "registered"]
