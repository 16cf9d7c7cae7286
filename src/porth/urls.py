from django.conf import settings
from django.urls import include, path

from porth.analytics import feedback_urls
from porth.applications import urls as applications_urls
from porth.casework import urls as casework_urls
from porth.exchange import staff_urls as exchange_staff_urls
from porth.exchange import urls as exchange_urls
from porth.integrations import api_urls as integrations_api_urls
from porth.integrations import urls as integrations_urls
from porth.notifications import urls as notifications_urls
from porth.opendata import api_urls as opendata_api_urls
from porth.opendata import dcat_urls as opendata_dcat_urls
from porth.opendata import staff_urls as opendata_staff_urls
from porth.opendata import urls as opendata_urls
from porth.services import urls as services_urls
from porth.signin import urls as signin_urls
from porth.submissions import urls as submissions_urls

urlpatterns = [
    # Citizen pages come first and are listed, not include()d: every request walks the
    # patterns, and an include is one more resolver to go through.
    *feedback_urls.urlpatterns,  # the satisfaction question, before the journey pages' pattern
    *submissions_urls.urlpatterns,  # journey pages: most requests
    *services_urls.urlpatterns,
    *casework_urls.citizen_urlpatterns,  # replies to requests for more information
    *signin_urls.urlpatterns,  # citizen sign-in (OpenID Connect)
    *applications_urls.urlpatterns,  # a signed-in citizen's applications
    path("staff/", include("porth.accounts.urls")),
    path("staff/", include("porth.casework.urls")),
    path("staff/audit/", include("porth.audit.urls")),
    path("staff/", include("porth.analytics.urls")),
    path("staff/", include(notifications_urls.staff)),
    *notifications_urls.public,
    # The REST API for departments' systems (/api/v1/…) and its service owners' pages.
    *integrations_api_urls.urlpatterns,
    path("staff/", include(integrations_urls)),
    # Open data: the catalogue's pages (/dataset, /organization, /group), its DCAT
    # (/catalog.ttl …), the CKAN Action API (/api/3/action/…) and the publishers' pages.
    *opendata_urls.urlpatterns,
    *opendata_dcat_urls.urlpatterns,
    *opendata_api_urls.urlpatterns,
    path("staff/", include(opendata_staff_urls)),
    # Exchange between organisations: signed calls and each organisation's public keys.
    *exchange_urls.urlpatterns,
    path("staff/", include(exchange_staff_urls)),
]
# The developer's outbox has no sign-in: in production there is no such address.
if not settings.PRODUCTION:
    urlpatterns.append(path("dev/", include(notifications_urls.development)))

handler400 = "porth.utils.views.bad_request"
handler404 = "porth.utils.views.not_found"
handler500 = "porth.utils.views.server_error"
