import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
application = get_wsgi_application()

# Load the definitions and compile the templates now: under `gunicorn --preload` this runs
# once, before the workers fork.
from porth.submissions.rendering import warm  # noqa: E402

warm()
