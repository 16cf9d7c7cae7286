"""The citizen's address in performance data: answers to the satisfaction question. Apart
from the staff dashboards' urls.py, as it sits with the journey pages (porth/urls.py lists
these before them: the journey pages' pattern would take services/<slug>/feedback for a page)."""

from django.urls import path

from . import feedback_views

urlpatterns = [
    path("services/<slug:slug>/feedback", feedback_views.feedback, name="feedback"),
]
