"""What a citizen is told when signing in does not work, in plain English and Welsh.

Each reason (oidc.Failed's, and the callback's own) has a page; all of them say that nothing
already answered is lost, and offer to try again or carry on without signing in.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    title: str
    paragraphs: list[str]
    status: int


def page(reason: str) -> Problem:
    if reason == "cancelled":
        return Problem(_("You have not signed in"), [_("You chose not to sign in.")], 200)
    if reason == "state":
        return Problem(
            _("Sorry, there is a problem signing you in"),
            [
                _(
                    "We could not match this sign-in to this browser. This can happen if you "
                    "used the back button, opened the sign-in in another window, or waited "
                    "more than 30 minutes."
                )
            ],
            400,
        )
    if reason == "rejected":
        return Problem(
            _("Sorry, your sign-in did not finish in time"),
            [_("The sign-in had expired or had already been used.")],
            400,
        )
    if reason == "unavailable":
        return Problem(
            _("Sorry, signing in is not working at the moment"),
            [_("The sign-in service did not answer in time. You can try again later.")],
            503,
        )
    return Problem(  # "invalid", "refused": the provider's answer could not be used
        _("Sorry, there is a problem signing you in"),
        [_("We could not check the details the sign-in service sent back.")],
        502,
    )


def signed_out_title() -> str:
    return _("You have signed out")
