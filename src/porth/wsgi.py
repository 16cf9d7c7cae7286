import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
application = get_wsgi_application()

# Load the definitions, compile the templates and render the blank questions as each worker
# starts, so that no citizen waits for it.
from porth.submissions.rendering import warm  # noqa: E402

warm()
