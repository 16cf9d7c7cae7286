from django.urls import path

from . import views

urlpatterns = [
    path("services/<slug:slug>/check-answers", views.check_answers, name="check-answers"),
    path("services/<slug:slug>/confirmation", views.confirmation, name="confirmation"),
    path("services/<slug:slug>/<slug:page_id>", views.page, name="page"),
]
