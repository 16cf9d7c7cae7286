from django.urls import path

from . import admin_views, views

urlpatterns = [
    path("", views.staff_home, name="staff-home"),
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-in/code", views.sign_in_code, name="sign-in-code"),
    path("sign-in/set-up-app", views.totp_setup, name="totp-setup"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("people", admin_views.staff_people, name="staff-people"),
]
