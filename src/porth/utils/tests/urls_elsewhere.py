from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/<slug:slug>/", lambda request, slug: HttpResponse(), name="start")]
