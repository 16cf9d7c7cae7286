from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "porth.submissions"
    verbose_name = "Submissions"
