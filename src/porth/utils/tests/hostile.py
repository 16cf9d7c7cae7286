"""What the fuzz tests post: text no honest form sends, and the check every answer passes."""

from typing import Any

from hypothesis import strategies as st

# Markup someone might post; no page of ours holds any of it, so none may ever come back.
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(2)</script>",
    "<a href='javascript:alert(3)'>x</a>",
]
_ANY = st.characters(exclude_categories=["Cs"])  # surrogates cannot be sent as UTF-8
_DIGITS = st.characters(categories=["Nd", "No"])  # every script's digits, superscripts
_SHORT = st.text(_ANY, max_size=20)


def _text(longest_power: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(_ANY, max_size=80),  # any Unicode
        st.text(st.characters(max_codepoint=0x9F), max_size=20),  # ASCII and control characters
        st.builds(lambda a, m, b: a + m + b, _SHORT, st.sampled_from(MARKUP), _SHORT),
        st.text(_DIGITS, min_size=1, max_size=6),
        # Long, in orders of magnitude.
        st.builds(
            lambda unit, power: unit * 10**power,
            st.one_of(
                st.text(_ANY, min_size=1, max_size=4), st.text(_DIGITS, min_size=1, max_size=2)
            ),
            st.integers(1, longest_power),
        ),
    )


# For forms: up to past what a body may hold (DATA_UPLOAD_MAX_MEMORY_SIZE).
TEXT = _text(6)
# For query strings: up to what web servers let through in an address (a few kilobytes).
QUERY_TEXT = _text(3)


def assert_safe(response: Any) -> None:
    """No server error, and no markup that was posted (now or before) on the page."""
    assert response.status_code < 500, response.status_code
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not [markup for markup in MARKUP if markup in html]
