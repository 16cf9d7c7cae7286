"""A shell is made only of what it is keyed by: anything else must go in a slot."""

import pytest
from django.test import RequestFactory

from porth.fastpath.shells import _key, render_page


def test_a_value_a_shell_cannot_be_keyed_by_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot be keyed by dict: put it in a slot"):
        _key({"answers": {"name": "Jo"}})


@pytest.mark.fast_path("shells")
def test_a_page_cannot_be_kept_with_a_citizens_data_in_its_shared_part() -> None:
    request = RequestFactory().get("/")
    with pytest.raises(TypeError):
        render_page(request, "start.html", {"service": object()}, slots={})
