"""The notifications app's addresses, in three groups that porth/urls.py mounts: staff pages
(under staff/), the public address Notify's receipts come to, and the developer's outbox
(under dev/, only when not in production)."""

from django.urls import path

from . import dev, receipts, views

staff = [
    path(
        "cases/<str:reference>/notifications",
        views.case_notifications,
        name="case-notifications",
    ),
    path("notifications/failed", views.failed, name="failed-notifications"),
]
public = [path("notifications/notify-callback", receipts.notify_callback, name="notify-callback")]
development = [path("outbox", dev.outbox, name="dev-outbox")]
