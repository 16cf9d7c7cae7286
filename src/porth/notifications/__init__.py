"""Notifications: messages to applicants (email and SMS), written as rows in the request's
transaction and delivered by background workers, with their status in GOV.UK Notify's words."""
