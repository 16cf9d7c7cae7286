"""Signals of the accounts app (documented here, as Wagtail does).

Accounts sit below the audit log (see the `layers` contract in pyproject.toml), so they
announce what happened to a member of staff's sign-in and the audit app records it.
"""

from django.dispatch import Signal

# Sent by every action in `porth.accounts.actions`, inside the action's transaction, with
# `Signal.send` (not `send_robust`): a receiver that raises makes the action fail, so the
# audit entry a receiver writes is committed with the change or not at all.
# Arguments:
#   action (str): what happened, one of "staff.sign_in_failed", "staff.totp_enrolled",
#     "staff.signed_in", "staff.signed_out", "staff.signed_out_everywhere",
#     "staff.authenticator_reset", "staff.session_ended", "staff.unlocked";
#   actor (User or None): who did it (None: someone not signed in, such as a wrong password);
#   request (HttpRequest or None): the request it happened in, if any;
#   user (User or None): the account it happened to, if one is known;
#   data (dict): details for the record (user name, stage, reason...), JSON-serialisable.
staff_event = Signal()
