from django.urls import path

from . import reply_views, views

urlpatterns = [
    path("cases", views.queues, name="queues"),
    path("cases/<str:reference>", views.case_page, name="case"),
]

# The applicant's reply to a request for more information: a citizen page, at the root of
# the site rather than under staff/ (porth.urls lists these).
citizen_urlpatterns = [
    path("reply/<str:token>", reply_views.reply, name="reply"),
    path("reply/<str:token>/sent", reply_views.sent, name="reply-sent"),
]
