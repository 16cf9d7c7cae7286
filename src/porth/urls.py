from django.urls import include, path

urlpatterns = [
    path("", include("porth.services.urls")),
    path("", include("porth.submissions.urls")),
    path("staff/", include("porth.accounts.urls")),
    path("staff/", include("porth.casework.urls")),
    path("staff/audit/", include("porth.audit.urls")),
]

handler404 = "porth.utils.views.not_found"
handler500 = "porth.utils.views.server_error"
