from django.urls import path

from . import views

urlpatterns = [
    path("cases", views.queues, name="queues"),
    path("cases/<str:reference>", views.case_page, name="case"),
]
