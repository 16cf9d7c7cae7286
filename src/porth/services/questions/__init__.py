"""Question types: parsing and validation (plain Python) and their templates."""

from . import types as _types  # noqa: F401 - registers the built-in types
from .base import Invalid, QuestionType, Raw, get, register, registered

__all__ = ["Invalid", "QuestionType", "Raw", "get", "register", "registered"]
