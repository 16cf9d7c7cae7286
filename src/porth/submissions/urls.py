from django.urls import path

from . import assisted_views, prefill_views, save_views, session_views, views

urlpatterns = [
    path("services/<slug:slug>/check-answers", views.check_answers, name="check-answers"),
    path("services/<slug:slug>/confirmation", views.confirmation, name="confirmation"),
    # Before the pages' pattern: their ids are reserved (services.definition.checks).
    path("services/<slug:slug>/sign-out", session_views.sign_out, name="sign-out"),
    path("services/<slug:slug>/signed-out", session_views.signed_out, name="signed-out"),
    path("services/<slug:slug>/save-for-later", save_views.save_for_later, name="save-for-later"),
    path("services/<slug:slug>/saved", save_views.saved, name="saved"),
    path("services/<slug:slug>/<slug:page_id>", views.page, name="page"),
    path(
        "services/<slug:slug>/<slug:page_id>/consent",
        prefill_views.consent,
        name="prefill-consent",
    ),
    # The link in a "save and come back later" message: short, for text messages.
    path("resume/<str:token>", save_views.resume, name="resume"),
    # Assisted digital (staff): under staff/apply, clear of accounts' and casework's staff/ paths.
    path("staff/apply", assisted_views.start, name="assisted-start"),
    path(
        "staff/apply/record",
        assisted_views.start,
        {"form": "record-application"},
        name="record-application",
    ),
    path("staff/apply/stopped", assisted_views.stopped, name="assisted-stopped"),
    path("staff/apply/<slug:slug>/stop", assisted_views.stop, name="assisted-stop"),
]
