"""The service definition format, as Pydantic models.

This module is the truth about the format: ``porth schema`` prints the JSON Schema generated
from it, and the copy in ``docs/service-definition.schema.json`` is checked against it by a
test. Cross-references (page ids, field ids in conditions) are checked in ``checks.py``.
No Django import here: the definition and the engine are plain Python.
"""

from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from . import durations
from .base import Expression, FieldId, Model, PageId, Slug, Text
from .bounds import DateBound
from .conditions import VARIABLES, compile_expression
from .experiments import Experiment
from .patterns import compile_pattern
from .prefill import Prefill
from .templates import Contact, NotifyRule, PlaceholderExpression, Template, TemplateName

# YAML reads a bare `off` as false: `sign_in: off` means what it says.
SignIn = Annotated[
    Literal["off", "optional", "required"],
    BeforeValidator(lambda value: "off" if value is False else value),
]

# Checked by the one duration parser (durations.py), which says what is wrong; the pattern
# is for the JSON Schema only.
Duration = Annotated[
    str,
    AfterValidator(durations.check),
    Field(
        description="An ISO 8601 duration in years, months, weeks or days, e.g. P10D.",
        json_schema_extra={"pattern": durations.PATTERN},
    ),
]

# The page a route reaches when every question is answered.
CHECK_ANSWERS = "check-answers"


class Option(Model):
    value: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    label: Text
    hint: Text | None = None
    exclusive: bool = Field(
        default=False, description="Checkboxes only: a 'none of these' option that clears others."
    )


class Rule(Model):
    """One validation rule. Give exactly one of the rule keys, and optionally a message."""

    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    min: Decimal | None = None
    max: Decimal | None = None
    pattern: str | None = Field(
        default=None,
        description="A regular expression (RE2 syntax) the whole answer must match.",
    )
    before: DateBound | None = Field(
        default=None,
        description="Dates: the answer must be before this: `today`, a date, or `-P18Y` from today.",
    )
    after: DateBound | None = None
    when: Expression | None = Field(
        default=None, description="A custom rule: the answer is refused when this is true."
    )
    message: Text | None = None

    @cached_property
    def kind(self) -> str:
        return next(k for k in RULE_KINDS if getattr(self, k) is not None)

    @cached_property
    def regex(self) -> Any:
        """The compiled pattern of a pattern rule (compiled, and checked, when it loads)."""
        return compile_pattern(self.pattern or "")

    @model_validator(mode="after")
    def _one_kind(self) -> "Rule":
        given = [k for k in RULE_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"a rule needs exactly one of {', '.join(RULE_KINDS)}")
        if self.pattern is not None:
            self.regex  # noqa: B018 (compiled now: refused at load if RE2 cannot compile it)
        if self.kind in {"pattern", "when"} and self.message is None:
            raise ValueError(
                f"a {self.kind} rule needs a message that tells the citizen what to do"
            )
        return self


RULE_KINDS = ("min_length", "max_length", "min", "max", "pattern", "before", "after", "when")

FieldType = Literal[
    "text",
    "textarea",
    "number",
    "decimal",
    "money",
    "date",
    "radios",
    "checkboxes",
    "select",
    "yesno",
    "email",
    "phone",
    "postcode",
    "address",
    "nino",
]
CHOICE_TYPES = frozenset({"radios", "checkboxes", "select"})
# Which rules make sense for which types; anything else is a load-time error.
RULES_FOR_TYPE: dict[str, frozenset[str]] = {
    "text": frozenset({"min_length", "max_length", "pattern", "when"}),
    "textarea": frozenset({"min_length", "max_length", "pattern", "when"}),
    "number": frozenset({"min", "max", "when"}),
    "decimal": frozenset({"min", "max", "when"}),
    "money": frozenset({"min", "max", "when"}),
    "date": frozenset({"before", "after", "when"}),
    "radios": frozenset({"when"}),
    "checkboxes": frozenset({"min_length", "max_length", "when"}),
    "select": frozenset({"when"}),
    "yesno": frozenset({"when"}),
    "email": frozenset({"max_length", "pattern", "when"}),
    "phone": frozenset({"when"}),
    "postcode": frozenset({"pattern", "when"}),
    "address": frozenset({"when"}),
    "nino": frozenset({"when"}),
}


MAX_CHECKBOXES = 100


class Question(Model):
    """A question (field) on a page."""

    id: FieldId
    type: FieldType
    label: Text
    hint: Text | None = None
    required: bool = True
    summary_label: Text | None = Field(
        default=None, description="Shorter words for the check-your-answers page."
    )
    name: Text | None = Field(
        default=None,
        description="What the answer is, for error messages: 'your full name' gives "
        "'Enter your full name'.",
    )
    options: list[Option] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    messages: dict[Literal["required", "invalid"], Text] = Field(
        default_factory=dict, description="Your own words for the standard errors."
    )
    autocomplete: str | None = Field(
        default=None, description="The HTML autocomplete token, e.g. `name` (WCAG 1.3.5)."
    )
    width: Literal[2, 3, 4, 5, 10, 20, 30] | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> "Question":
        if self.type in CHOICE_TYPES:
            if len(self.options) < 2 and not (self.type == "checkboxes" and self.options):
                raise ValueError(f"a {self.type} question needs at least two options")
            if self.type == "checkboxes" and len(self.options) > MAX_CHECKBOXES:
                # Conditions iterate a checkboxes answer, and CEL cannot be stopped once it
                # runs: the list's length bounds the work (with limits.py's static limits).
                raise ValueError(
                    f"a checkboxes question has at most {MAX_CHECKBOXES} options "
                    f"(it has {len(self.options)}): ask it another way"
                )
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")
        elif self.type == "yesno" and self.options:
            # Only to word the answers: Welsh answers with the question's verb ("Oes / Nac oes").
            if [o.value for o in self.options] != ["yes", "no"]:
                raise ValueError("a yesno question's options, if given, are `yes` then `no`")
        elif self.options:
            raise ValueError(f"a {self.type} question has no options")
        if any(o.exclusive for o in self.options) and self.type != "checkboxes":
            raise ValueError("only checkboxes can have an exclusive option")
        for rule in self.rules:
            if rule.kind not in RULES_FOR_TYPE[self.type]:
                raise ValueError(f"a {rule.kind} rule does not apply to a {self.type} question")
        return self


class Next(Model):
    """Where to go after a page: the first rule whose `when` is true (or absent) wins."""

    when: Expression | None = None
    goto: str = Field(description=f"A page id, or `{CHECK_ANSWERS}`.")


class Page(Model):
    id: PageId
    kind: Literal["question", "content", "exit"] = Field(
        default="question",
        description="question: asks things; content: words to read, then continue; "
        "exit: ends the journey here (e.g. not eligible).",
    )
    title: Text | None = Field(
        default=None,
        description="The page heading. A page with one question may leave it out: "
        "the question's label is the heading.",
    )
    body: Text | None = Field(default=None, description="Markdown shown under the heading.")
    fields: list[Question] = Field(default_factory=list)
    when: Expression | None = Field(
        default=None, description="Show this page only when true; otherwise it is skipped."
    )
    next: list[Next] = Field(
        default_factory=list,
        description="Branching. Without a rule that matches, the journey "
        "goes on to the following page.",
    )
    prefill: Prefill | None = Field(
        default=None,
        description="Offer to fetch this page's answers from another organisation, with the "
        "citizen's consent (docs/prefill.md).",
    )

    # Which experiment's variant b this page is ("<experiment>:b"), "" for the page as
    # defined: set by porth.services.experiments on the copy it makes.
    _variant: str = PrivateAttr(default="")

    @cached_property
    def variant(self) -> str:
        """ "<experiment>:b" for an experiment's variant b of the page, else "". (Cached as
        Definition.version is: the fast path keys a page's shells by it on every request.)"""
        return self._variant

    def as_variant(self, variant: str, **wording: Any) -> "Page":
        """A copy of this page with other `wording` (title, body, fields), as `variant`."""
        copy = self.model_copy(update=wording)
        copy._variant = variant
        copy.__dict__.pop("variant", None)  # copied with the rest of the instance
        return copy

    @model_validator(mode="after")
    def _fits_kind(self) -> "Page":
        if self.kind == "question" and not self.fields:
            raise ValueError("a question page needs at least one field")
        if self.kind != "question" and self.fields:
            raise ValueError(
                f"an {self.kind} page has no fields"
                if self.kind == "exit"
                else f"a {self.kind} page has no fields"
            )
        if self.kind != "question" and (self.title is None or self.body is None):
            raise ValueError(f"a {self.kind} page needs a title and a body")
        if len(self.fields) > 1 and self.title is None:
            raise ValueError("a page with several fields needs a title")
        if self.kind != "question" and self.prefill is not None:
            raise ValueError(f"a {self.kind} page has no fields to prefill")
        if self.kind == "exit" and self.next:
            raise ValueError("an exit page ends the journey, so it has no next")
        return self

    def heading(self, language: str) -> str:
        if self.title is not None:
            return self.title.get(language)
        return self.fields[0].label.get(language)


class Organisation(Model):
    id: Slug
    name: Text


class StartPage(Model):
    body: Text = Field(
        description="Markdown: what the service is for, who can use it, what you need."
    )
    before_you_start: Text | None = None


class Declaration(Model):
    title: Text | None = None
    body: Text = Field(description="Markdown: what the citizen confirms by sending.")
    confirm: Text | None = Field(
        default=None, description="Label of a checkbox the citizen must tick to send."
    )


class Confirmation(Model):
    body: Text = Field(description="Markdown: what happens next.")


class CaseAction(Model):
    queue: Slug
    queue_name: Text | None = Field(default=None, description="The queue's name for staff.")
    sla: Duration | None = Field(default=None, description="How long the team has to decide.")
    name: FieldId | None = Field(
        default=None,
        description="The question whose answer is the applicant's name, shown in the queue "
        "and searchable (through a keyed hash: names are not stored in the clear).",
    )


class OnSubmit(Model):
    case: CaseAction


class Definition(Model):
    """One service: what the citizen sees, from the start page to the confirmation."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"title": "Porth service definition"}
    )

    porth: Literal[1] = Field(default=1, description="The version of this format.")
    slug: Slug
    name: Text
    summary: Text
    organisation: Organisation
    keywords: list[str] = Field(default_factory=list, description="Extra words for search.")
    reference_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}$")] | None = None
    start: StartPage
    sign_in: SignIn = Field(
        default="off",
        description="Citizen sign-in (docs/signin.md): `optional` offers it on the start page "
        "beside carrying on without; `required` asks for it before the first question.",
    )
    pages: list[Page] = Field(min_length=1)
    declaration: Declaration
    confirmation: Confirmation
    on_submit: list[OnSubmit] = Field(default_factory=list)
    contact: Contact | None = Field(
        default=None, description="The questions whose answers say how to reach the applicant."
    )
    templates: dict[TemplateName, Template] = Field(
        default_factory=dict,
        description="Messages to the applicant, with ((placeholders)) as GOV.UK Notify has them.",
    )
    placeholders: dict[FieldId, PlaceholderExpression] = Field(
        default_factory=dict,
        description="Placeholders' values worked out from the answers and the case; any "
        "other placeholder is one of Porth's own or the answer to the question of that id.",
    )
    notify: list[NotifyRule] = Field(
        default_factory=list,
        description="Which template is sent when; Porth's own are sent for "
        "information_requested, message and saved_for_later unless given here.",
    )
    retention: Duration | None = Field(
        default=None, description="How long submissions are kept (ISO 8601 duration)."
    )
    costs: dict[str, Decimal] = Field(
        default_factory=dict, description="Cost per transaction by channel, in pounds."
    )
    experiments: list[Experiment] = Field(
        default_factory=list,
        description="A/B tests of two wordings of a page (docs/experiments.md).",
    )
    version_note: str | None = None

    _version: str = PrivateAttr(default="")
    # What the loader found that is allowed but worth a look (loader.Located, e.g. an
    # experiment's words with no Welsh): `porth load` prints them.
    _warnings: tuple[Any, ...] = PrivateAttr(default=())

    # Indexes, computed once and then read from the instance like plain attributes: the
    # engine reads them on every step, and Pydantic's private attributes are slow to reach.
    @cached_property
    def pages_by_id(self) -> dict[str, Page]:
        return {page.id: page for page in self.pages}

    @cached_property
    def questions(self) -> dict[str, tuple[Page, Question]]:
        """Every question by id, with its page."""
        return {q.id: (page, q) for page in self.pages for q in page.fields}

    @cached_property
    def programs(self) -> dict[str, Any]:
        """Compiled CEL programs by source (filled as expressions are first used)."""
        return {}

    @cached_property
    def variant_pages(self) -> dict[str, Page]:
        """Experiments' variant b pages by experiment id (made as first used)."""
        return {}

    @cached_property
    def version(self) -> str:
        """The hash of the definition's canonical form: submissions record it. (Cached: every
        request reads it, and a Pydantic private attribute is slow to read.)"""
        return self._version

    @property
    def warnings(self) -> tuple[Any, ...]:
        return self._warnings

    def set_warnings(self, warnings: tuple[Any, ...]) -> None:
        self._warnings = warnings

    def set_version(self, version: str) -> None:
        self._version = version
        self.__dict__.pop("version", None)

    def page(self, page_id: str) -> Page:
        return self.pages_by_id[page_id]

    def has_page(self, page_id: str) -> bool:
        return page_id in self.pages_by_id

    def question(self, field_id: str) -> tuple[Page, Question]:
        return self.questions[field_id]

    def program(self, expression: str, variables: frozenset[str] = VARIABLES) -> Any:
        """The compiled CEL program for an expression of this definition (compiled once;
        `variables`: what it may read, checked when it is compiled)."""
        program = self.programs.get(expression)
        if program is None:
            program = self.programs[expression] = compile_expression(expression, variables)
        return program
