"""The notifications app's addresses, in three groups that porth/urls.py mounts: staff pages
(under staff/), the public address Notify's receipts come to, and the developer's outbox
(under dev/, only when not in production)."""

from django.urls import URLPattern, path

from . import dev, receipts

staff: list[URLPattern] = []
public = [path("notifications/notify-callback", receipts.notify_callback, name="notify-callback")]
development = [path("outbox", dev.outbox, name="dev-outbox")]
