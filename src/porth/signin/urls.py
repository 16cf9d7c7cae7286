from django.urls import path

from . import views

urlpatterns = [
    path("sign-in", views.start, name="signin-start"),
    path("sign-in/callback", views.callback, name="signin-callback"),
    path("sign-in/problem", views.problem, name="signin-problem"),
    path("sign-in/sign-out", views.sign_out, name="signin-sign-out"),
    path("sign-in/signed-out", views.signed_out, name="signin-signed-out"),
    path("sign-in/jwks.json", views.jwks, name="signin-jwks"),
    path("sign-in/back-channel-logout", views.back_channel_logout, name="signin-logout"),
]
