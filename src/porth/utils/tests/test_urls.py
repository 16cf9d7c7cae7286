from django.test import override_settings
from django.urls import reverse

from porth.utils.urls import cached_reverse


def test_cached_reverse_gives_what_reverse_gives() -> None:
    assert cached_reverse("page", "a-service", "a-page") == reverse(
        "page", args=["a-service", "a-page"]
    )
    assert cached_reverse("start", "a-service") == "/services/a-service/"


@override_settings(ROOT_URLCONF="porth.utils.tests.urls_elsewhere")
def test_another_url_configuration_is_not_served_from_the_cache() -> None:
    cached_reverse("start", "a-service")  # remembered under the default configuration
    assert cached_reverse("start", "a-service") == "/elsewhere/a-service/"
