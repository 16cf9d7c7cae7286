"""Every submission whose definition asks for a case gets one, in the same transaction."""

from typing import Any

from django.dispatch import receiver

from porth.submissions.signals import submitted

from . import actions


@receiver(submitted, dispatch_uid="porth.casework.open_case")
def open_case(
    sender: Any,
    submission: Any,
    definition: Any,
    answers: dict[str, Any],
    actor: Any = None,
    **kwargs: Any,
) -> None:
    for step in definition.on_submit:
        actions.open_case(submission, definition, step.case, answers, actor=actor)
