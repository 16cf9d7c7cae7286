"""What goes into a shell's slots: HTML as it is, anything else escaped."""

from markupsafe import Markup

from porth.fastpath.shells import _values


def test_slot_values_are_escaped_unless_already_html() -> None:
    values = _values(
        {
            "questions": {"name": Markup("<input name='name'>"), "note": "<b>Tom & Jerry</b>"},
            "back_url": "/services/x/?a=1&b=2",
            "banner": Markup("<div class='govuk-notification-banner'></div>"),
            "reference": "AB-CD<3",
            "empty": "",
            "none": None,
            "count": 3,
        }
    )

    assert values == {
        "questions:name": "<input name='name'>",
        "questions:note": "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;",
        "back_url": "/services/x/?a=1&amp;b=2",
        "banner": "<div class='govuk-notification-banner'></div>",
        "reference": "AB-CD&lt;3",
        "empty": "",
        "none": "",
        "count": "3",
    }
