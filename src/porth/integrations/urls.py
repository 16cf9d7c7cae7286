"""The service owners' pages, under /staff/."""

from django.urls import path

from . import views

urlpatterns = [
    path("integrations/api-tokens", views.api_tokens, name="integrations-tokens"),
    path(
        "integrations/api-tokens/<int:token_id>",
        views.revoke_token,
        name="integrations-revoke-token",
    ),
    path("integrations/webhooks", views.webhooks, name="integrations-webhooks"),
    path("integrations/webhooks/<int:endpoint_id>", views.webhook, name="integrations-webhook"),
    path(
        "integrations/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>",
        views.send_again,
        name="integrations-send-again",
    ),
]
