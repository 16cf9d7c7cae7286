"""Load-time checks of the messages to applicants (templates.py): every placeholder has a
value on every event its template is sent on, contacts are email and phone questions, `notify`
names templates that exist and can be sent the way the applicant is reached, and text
messages fit."""

from . import placeholders
from .conditions import PLACEHOLDER_VARIABLES, referenced_case_fields
from .defaults import events_of
from .models import Definition, Question
from .problems import Problem, expression_problems, listed
from .templates import BUILT_IN, SMS_MAX_CHARS, Event


def check(definition: Definition) -> list[Problem]:
    return (
        contact(definition)
        + placeholder_expressions(definition)
        + notify(definition)
        + templates(definition)
    )


def _reached(definition: Definition) -> list[tuple[str, str, str]]:
    """(kind of message, question type, question id) of each way to reach the applicant."""
    given = definition.contact
    if given is None:
        return []
    ways = [("email", "email", given.email), ("sms", "phone", given.phone)]
    return [(kind, type_, field_id) for kind, type_, field_id in ways if field_id is not None]


def contact(definition: Definition) -> list[Problem]:
    problems = []
    for _, type_, field_id in _reached(definition):
        path = f"contact.{type_}"
        if field_id not in definition.questions:
            problems.append(Problem(path, f"there is no question {field_id!r}"))
        elif (found := definition.question(field_id)[1].type) != type_:
            article = "an" if type_ == "email" else "a"
            problems.append(
                Problem(
                    path,
                    f"question {field_id!r} is a {found} question: contact.{type_} needs "
                    f"{article} {type_} question",
                )
            )
    return problems


def placeholder_expressions(definition: Definition) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for name, source in definition.placeholders.items():
        path = f"placeholders.{name}"
        key = placeholders.normalise(name)
        if key in _BUILT_IN_KEYS:
            problems.append(
                Problem(path, f"(({name})) is one of Porth's own placeholders: choose another name")
            )
        elif key in seen:
            problems.append(
                Problem(
                    path,
                    f"{seen[key]} and {name} are the same placeholder (names ignore case, "
                    "spaces, hyphens and underscores): keep one",
                )
            )
        seen[key] = name
        problems += expression_problems(definition, path, source, PLACEHOLDER_VARIABLES)
    return problems


def notify(definition: Definition) -> list[Problem]:
    problems = []
    if definition.notify and definition.contact is None:
        problems.append(
            Problem(
                "notify",
                "sending messages needs `contact`: the email or phone question whose answer "
                "says where to send them",
            )
        )
    first: dict[str, int] = {}
    for n, rule in enumerate(definition.notify):
        if rule.when in first:
            problems.append(
                Problem(
                    f"notify[{n}].when",
                    f"{rule.when} has a template already (notify[{first[rule.when]}]): "
                    "one template for each event",
                )
            )
        first.setdefault(rule.when, n)
        template = definition.templates.get(rule.template)
        if template is None:
            known = listed(sorted(definition.templates)) if definition.templates else "none"
            problems.append(
                Problem(
                    f"notify[{n}].template",
                    f"there is no template {rule.template!r} (the templates: {known})",
                )
            )
            continue
        for kind, _, field_id in _reached(definition):
            if getattr(template, kind) is None:
                how = "an email" if kind == "email" else "a text message (sms)"
                problems.append(
                    Problem(
                        f"notify[{n}].template",
                        f"template {rule.template!r} has no {kind}, and applicants who answer "
                        f"{field_id!r} are sent {how}",
                    )
                )
    return problems


_BUILT_IN_KEYS = {placeholders.normalise(name): name for name in BUILT_IN}


def templates(definition: Definition) -> list[Problem]:
    problems = []
    questions: dict[str, list[str]] = {}
    for field_id in definition.questions:
        questions.setdefault(placeholders.normalise(field_id), []).append(field_id)
    given = {placeholders.normalise(name): name for name in definition.placeholders}
    for name, template in definition.templates.items():
        events = events_of(definition, name)
        for where, text in template.texts():
            path = f"templates.{name}.{where}"
            if (at := placeholders.unclosed(text)) is not None:
                begun = text[at : at + 30].split("\n")[0]
                problems.append(
                    Problem(
                        path,
                        f"{begun!r} begins a placeholder but does not close it: write ((name))",
                    )
                )
            if (
                where.startswith("sms.")
                and (length := placeholders.fixed_length(text)) > SMS_MAX_CHARS
            ):
                problems.append(
                    Problem(
                        path,
                        f"is {length} characters before its placeholders are filled in; a text "
                        f"message can have at most {SMS_MAX_CHARS}",
                    )
                )
            for placeholder in placeholders.find(text):
                why = _no_value(definition, placeholder, events, questions, given)
                if why:
                    problems.append(Problem(path, why))
    return problems


def _no_value(
    definition: Definition,
    placeholder: placeholders.Placeholder,
    events: set[Event],
    questions: dict[str, list[str]],
    given: dict[str, str],
) -> str | None:
    """Why a placeholder of a template sent on `events` may have no value, if it may."""
    key = placeholder.key
    if not key:
        return f"{placeholder} has no name: write ((name))"
    if key in _BUILT_IN_KEYS:
        name = _BUILT_IN_KEYS[key]
        if placeholder.optional:
            return (
                f"{placeholder} shows its text only when {name} is yes or true, and Porth's "
                f"(({name})) never is: write the words without the placeholder"
            )
        missing = sorted(events - BUILT_IN[name])
        if missing:
            return (
                f"{placeholder} has no value when this template is sent on "
                f"{listed(missing, 'and')}: Porth gives it on {listed(sorted(BUILT_IN[name]))}"
                " only"
            )
        return None
    if key in given:
        source = definition.placeholders[given[key]]
        if "saved_for_later" in events and referenced_case_fields(source):
            return (
                f"{placeholder} reads the case (placeholders.{given[key]}), and a journey "
                "saved for later has no case yet"
            )
        return None
    found = questions.get(key, [])
    if len(found) > 1:
        return (
            f"{placeholder} could be question {listed(found, 'or')} (names ignore case, "
            "spaces, hyphens and underscores): rename one, or name an entry of placeholders"
        )
    if found:
        question = definition.question(found[0])[1]
        if "saved_for_later" in events and not placeholder.optional:
            # The message with the link to come back must never fail for want of an answer.
            return (
                f"{placeholder} may have no value when this template is sent on "
                "saved_for_later, as the journey is not finished: leave it out, or use an "
                "entry of placeholders that gives a value without it"
            )
        if placeholder.optional and not _can_be_yes(question):
            return (
                f"{placeholder} shows its text only when {found[0]} is yes or true, and a "
                f"{question.type} answer never is: use a yes/no question, or an entry of "
                f"placeholders such as `has_{found[0]}: has(answers.{found[0]})`"
            )
        return None
    return (
        f"{placeholder} has no value: it is not one of Porth's own placeholders "
        f"({listed(BUILT_IN, 'and')}), a question, or an entry of placeholders"
    )


def _can_be_yes(question: Question) -> bool:
    if question.type == "yesno":
        return True
    return question.type in {"radios", "select"} and any(
        placeholders.shows(option.value) for option in question.options
    )
