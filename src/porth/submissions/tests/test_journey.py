"""A citizen's whole journey through the test client: start, answer, change, check, send."""

import base64
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import yaml
from cryptography.exceptions import InvalidTag
from django.test import Client

from porth.services import registry
from porth.services.definition import Definition
from porth.services.definition.loader import version_of
from porth.submissions import actions
from porth.submissions.models import Journey, Submission
from porth.submissions.references import ALPHABET, new_reference
from porth.utils import crypto

pytestmark = pytest.mark.django_db

SLUG = "apply-for-a-thing"
BASE = f"/services/{SLUG}"
CHECK = f"{BASE}/check-answers"
CONFIRMATION = f"{BASE}/confirmation"
NAME = "Jo Bloggs-Prydderch"
# Prefix (from the definition) optional; two groups of four from the look-alike-free alphabet.
REFERENCE = re.compile(
    r"^(?:[A-Z]{2,4}-)?[ACDEFGHJKMNPQRTUVWXY3467]{4}-[ACDEFGHJKMNPQRTUVWXY3467]{4}$"
)


def _text(en: str, cy: str | None = None) -> dict[str, str]:
    return {"en": en, "cy": cy or f"{en} (cy)"}


def _service(*, confirm: bool = False, prefix: str | None = "TS") -> dict[str, Any]:
    """Name → live alone? → (if not) how many others → email → check answers."""
    declaration: dict[str, Any] = {"body": _text("What you told us is true.")}
    if confirm:
        declaration["confirm"] = _text("I confirm this is true")
    service: dict[str, Any] = {
        "slug": SLUG,
        "name": _text("Apply for a thing"),
        "summary": _text("For tests"),
        "organisation": {"id": "test-council", "name": _text("Test Council")},
        "start": {"body": _text("Use this service to apply.")},
        "pages": [
            {
                "id": "name",
                "fields": [
                    {
                        "id": "full_name",
                        "type": "text",
                        "label": _text("What is your name?"),
                        "summary_label": _text("Name"),
                    }
                ],
            },
            {
                "id": "alone",
                "fields": [{"id": "alone", "type": "yesno", "label": _text("Do you live alone?")}],
                "next": [{"when": "answers.alone", "goto": "email"}],
            },
            {
                "id": "others",
                "fields": [{"id": "others", "type": "number", "label": _text("How many others?")}],
            },
            {
                "id": "email",
                "fields": [{"id": "email", "type": "email", "label": _text("Your email")}],
            },
        ],
        "declaration": declaration,
        "confirmation": {"body": _text("We will reply within 10 days.")},
    }
    if prefix:
        service["reference_prefix"] = prefix
    return service


@pytest.fixture
def serve(tmp_path: Any, settings: Any) -> Iterator[Any]:
    """Serve the test service (optionally changed) from a temporary folder."""
    settings.PORTH_SERVICES_DIR = tmp_path

    def write(**options: Any) -> Definition:
        text = yaml.safe_dump(_service(**options), allow_unicode=True, sort_keys=False)
        (tmp_path / f"{SLUG}.yaml").write_text(text)
        registry.reload()
        definition = registry.get(SLUG)
        assert definition is not None
        return definition

    yield write
    registry.reload()


@pytest.fixture
def definition(serve: Any) -> Definition:
    return serve()


def _answer(client: Client, page: str, data: dict[str, str], change: bool = False) -> str:
    url = f"{BASE}/{page}" + ("?change=1" if change else "")
    response = client.post(url, data)
    assert response.status_code == 303, response.content.decode()[:2000]
    return response.headers["Location"]


def _answer_all(client: Client, *, alone: bool = False) -> None:
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "yes" if alone else "no"})
    if not alone:
        _answer(client, "others", {"others": "2"})
    _answer(client, "email", {"email": "jo@example.com"})


def _rows(html: str) -> dict[str, str]:
    flat = " ".join(html.split())
    pairs = re.findall(
        r'<dt class="govuk-summary-list__key">\s*(.*?)\s*</dt>\s*'
        r'<dd class="govuk-summary-list__value">\s*(.*?)\s*</dd>',
        flat,
    )
    return dict(pairs)


def _send(client: Client, **data: str) -> Submission:
    response = client.post(CHECK, data)
    assert response.status_code == 303
    assert response.headers["Location"] == CONFIRMATION
    return Submission.objects.get()


# --- The way through ----------------------------------------------------------------------


def test_whole_journey_from_start_page_to_confirmation(
    client: Client, definition: Definition
) -> None:
    start = client.get(f"{BASE}/")
    assert start.status_code == 200
    assert f'href="{BASE}/name"' in start.content.decode()

    assert client.get(f"{BASE}/name").status_code == 200
    assert _answer(client, "name", {"full_name": NAME}) == f"{BASE}/alone"
    assert _answer(client, "alone", {"alone": "no"}) == f"{BASE}/others"
    assert _answer(client, "others", {"others": "2"}) == f"{BASE}/email"
    assert _answer(client, "email", {"email": "jo@example.com"}) == CHECK

    check = client.get(CHECK)
    assert check.status_code == 200
    assert _rows(check.content.decode()) == {
        "Name": NAME,
        "Do you live alone?": "No",
        "How many others?": "2",
        "Your email": "jo@example.com",
    }

    submission = _send(client)
    confirmation = client.get(CONFIRMATION)
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert submission.reference in html
    assert "We will reply within 10 days." in html
    assert actions.read_answers(submission) == {
        "full_name": NAME,
        "alone": False,
        "others": 2,
        "email": "jo@example.com",
    }


def test_check_answers_has_a_change_link_for_every_answer(
    client: Client, definition: Definition
) -> None:
    _answer_all(client)

    html = client.get(CHECK).content.decode()

    links = re.findall(r'href="([^"]*\?change=1[^"]*)"', html)
    assert links == [
        f"{BASE}/name?change=1#full_name",
        f"{BASE}/alone?change=1#alone",
        f"{BASE}/others?change=1#others",
        f"{BASE}/email?change=1#email",
    ]


def test_changing_an_answer_from_check_answers_returns_there(
    client: Client, definition: Definition
) -> None:
    _answer_all(client)

    page = client.get(f"{BASE}/name?change=1")
    assert f'value="{NAME}"' in page.content.decode()
    assert _answer(client, "name", {"full_name": "Sam Jones"}, change=True) == CHECK

    assert _rows(client.get(CHECK).content.decode())["Name"] == "Sam Jones"


def test_mistake_while_changing_still_returns_to_check_answers(
    client: Client, definition: Definition
) -> None:
    _answer_all(client)

    refused = client.post(f"{BASE}/email?change=1", {"email": "not an email"})
    assert refused.status_code == 200
    assert '<form method="post" novalidate>' in refused.content.decode(), "posts back here"

    assert _answer(client, "email", {"email": "sam@example.com"}, change=True) == CHECK


def test_changing_route_drops_answers_no_longer_on_it(
    client: Client, definition: Definition
) -> None:
    _answer_all(client, alone=False)

    assert _answer(client, "alone", {"alone": "yes"}, change=True) == CHECK

    rows = _rows(client.get(CHECK).content.decode())
    assert "How many others?" not in rows
    assert "others" not in actions.read_answers(_send(client))


def test_changing_route_onto_a_new_page_asks_it_before_check_answers(
    client: Client, definition: Definition
) -> None:
    _answer_all(client, alone=True)

    assert _answer(client, "alone", {"alone": "no"}, change=True) == f"{BASE}/others"
    assert client.get(CHECK).headers["Location"] == f"{BASE}/others"
    assert _answer(client, "others", {"others": "1"}) == CHECK


def test_a_dropped_answer_is_not_brought_back_by_changing_route_again(
    client: Client, definition: Definition
) -> None:
    _answer_all(client, alone=False)
    _answer(client, "alone", {"alone": "yes"}, change=True)

    _answer(client, "alone", {"alone": "no"}, change=True)

    form = client.get(f"{BASE}/others").content.decode()
    assert re.search(r'id="others"[^>]*value=""', " ".join(form.split()))


# --- Staying on the route -----------------------------------------------------------------


@pytest.mark.parametrize("page", ["alone", "others", "email", "check-answers"])
def test_cannot_jump_ahead_by_url(client: Client, definition: Definition, page: str) -> None:
    response = client.get(f"{BASE}/{page}")

    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/name"


def test_posting_to_a_page_ahead_saves_nothing(client: Client, definition: Definition) -> None:
    response = client.post(f"{BASE}/email", {"email": "jo@example.com"})

    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/name"
    assert not Journey.objects.exists()


def test_page_off_the_route_sends_citizen_to_where_they_are(
    client: Client, definition: Definition
) -> None:
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "yes"})

    response = client.get(f"{BASE}/others")

    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/email"


def test_confirmation_without_a_submission_goes_to_start(
    client: Client, definition: Definition
) -> None:
    response = client.get(CONFIRMATION)

    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/"


def test_another_browser_does_not_see_the_journey(client: Client, definition: Definition) -> None:
    _answer_all(client)

    response = Client().get(CHECK)

    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/name"


# --- Sending ------------------------------------------------------------------------------


def test_sending_twice_makes_one_submission(client: Client, definition: Definition) -> None:
    _answer_all(client)

    first = client.post(CHECK)
    second = client.post(CHECK)

    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == CONFIRMATION
    assert Submission.objects.count() == 1


def test_repeated_submit_action_returns_the_first_submission(
    client: Client, definition: Definition
) -> None:
    _answer_all(client)
    journey = Journey.objects.get()

    first = actions.submit(journey, definition, language="en", today=date.today())
    again = actions.submit(journey, definition, language="en", today=date.today())

    assert first.pk == again.pk
    assert Submission.objects.count() == 1


def test_sending_starts_a_fresh_journey_next_time(client: Client, definition: Definition) -> None:
    _answer_all(client)
    _send(client)

    page = client.get(f"{BASE}/name").content.decode()

    assert NAME not in page
    assert client.get(f"{BASE}/email").headers["Location"] == f"{BASE}/name"


def test_reference_has_prefix_and_readable_alphabet(client: Client, definition: Definition) -> None:
    _answer_all(client)

    reference = _send(client).reference

    assert REFERENCE.match(reference)
    assert reference.startswith("TS-")


def test_reference_without_prefix(client: Client, serve: Any) -> None:
    serve(prefix=None)
    _answer_all(client)

    reference = _send(client).reference

    assert REFERENCE.match(reference)
    assert len(reference) == 9


def test_a_reference_already_taken_is_never_reused(
    client: Client, definition: Definition, monkeypatch: Any
) -> None:
    _answer_all(client)
    taken = _send(client).reference
    drawn = iter([taken, taken, "TS-ACDE-FGHJ"])
    monkeypatch.setattr(actions, "new_reference", lambda prefix=None: next(drawn))
    other = Client()
    _answer_all(other)

    response = other.post(CHECK)

    assert response.headers["Location"] == CONFIRMATION
    assert sorted(Submission.objects.values_list("reference", flat=True)) == sorted(
        [taken, "TS-ACDE-FGHJ"]
    )
    assert "TS-ACDE-FGHJ" in other.get(CONFIRMATION).content.decode()


def test_references_never_use_look_alike_characters() -> None:
    references = [new_reference("AB") for _ in range(500)] + [new_reference() for _ in range(500)]

    assert all(REFERENCE.match(r) for r in references)
    bodies = "".join(r.removeprefix("AB-") for r in references)
    assert not set(bodies) & set("0O1IL5S2Z8B")
    assert set(bodies) - {"-"} <= set(ALPHABET)
    assert len(set(references)) == len(references)


def test_declaration_must_be_ticked(client: Client, serve: Any) -> None:
    serve(confirm=True)
    _answer_all(client)

    response = client.post(CHECK, {})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#confirm">Confirm that the declaration is true</a>' in " ".join(html.split())
    assert re.search(r"<title[^>]*>\s*Error: ", html)
    assert 'id="confirm"' in html
    assert not Submission.objects.exists()

    _send(client, confirm="yes")


def test_declaration_without_confirm_needs_no_tick(client: Client, definition: Definition) -> None:
    _answer_all(client)

    html = client.get(CHECK).content.decode()

    assert 'name="confirm"' not in html
    _send(client)


def test_submission_records_the_definition_version(client: Client, definition: Definition) -> None:
    _answer_all(client)

    submission = _send(client)

    version = submission.definition
    assert version.slug == SLUG
    assert version.version == definition.version == version_of(definition)
    assert version.canonical == definition.model_dump(mode="json")
    assert submission.service == SLUG
    assert submission.language == "en"


def test_submission_in_welsh_records_welsh(client: Client, definition: Definition) -> None:
    client.get(f"{BASE}/?lang=cy")
    _answer_all(client)

    assert _send(client).language == "cy"


def test_changed_definition_keeps_answers_that_still_fit(client: Client, serve: Any) -> None:
    serve()
    _answer_all(client)

    changed = serve(confirm=True)  # a new version while the citizen is on check-answers
    submission = _send(client, confirm="yes")

    assert submission.definition.version == changed.version
    assert actions.read_answers(submission)["full_name"] == NAME


# --- Encryption at rest -------------------------------------------------------------------


def test_answers_are_encrypted_at_rest(client: Client, definition: Definition) -> None:
    _answer(client, "name", {"full_name": NAME})

    journey = Journey.objects.get()
    assert journey.state
    assert NAME.encode() not in bytes(journey.state)
    assert actions.read_state(journey).answers["full_name"] == NAME

    _answer(client, "alone", {"alone": "yes"})
    _answer(client, "email", {"email": "jo@example.com"})
    submission = _send(client)
    assert NAME.encode() not in bytes(submission.answers)
    assert b"jo@example.com" not in bytes(submission.answers)
    assert bytes(Journey.objects.get().state) == b"", "the journey keeps no copy once sent"


def test_ciphertext_copied_to_another_submission_does_not_decrypt(
    definition: Definition,
) -> None:
    for _ in range(2):
        browser = Client()
        _answer_all(browser)
        browser.post(CHECK)
    first, second = Submission.objects.all()
    second.answers, second.key_id = first.answers, first.key_id

    with pytest.raises(InvalidTag):
        actions.read_answers(second)


def test_journey_state_copied_to_another_journey_does_not_decrypt(
    definition: Definition,
) -> None:
    for _ in range(2):
        _answer(Client(), "name", {"full_name": NAME})
    first, second = Journey.objects.all()
    second.state, second.key_id = first.state, first.key_id

    with pytest.raises(InvalidTag):
        actions.read_state(second)


def _key(fill: bytes) -> str:
    return base64.b64encode(fill * 32).decode()


@pytest.fixture
def keys(settings: Any) -> Iterator[Any]:
    def use(value: str) -> None:
        settings.PORTH_ENCRYPTION_KEYS = value
        crypto._keys.cache_clear()

    yield use
    crypto._keys.cache_clear()


def test_record_under_old_key_still_decrypts_after_rotation(
    client: Client, definition: Definition, keys: Any
) -> None:
    keys(f"old:{_key(b'a')}")
    _answer_all(client)
    submission = _send(client)
    assert submission.key_id == "old"

    keys(f"new:{_key(b'b')},old:{_key(b'a')}")

    assert actions.read_answers(Submission.objects.get())["full_name"] == NAME
    later = Client()
    _answer(later, "name", {"full_name": "Sam"})
    assert Journey.objects.get(submitted_at__isnull=True).key_id == "new"


def test_journey_in_progress_survives_key_rotation(
    client: Client, definition: Definition, keys: Any
) -> None:
    keys(f"old:{_key(b'a')}")
    _answer(client, "name", {"full_name": NAME})

    keys(f"new:{_key(b'b')},old:{_key(b'a')}")
    _answer(client, "alone", {"alone": "yes"})

    journey = Journey.objects.get()
    assert journey.key_id == "new"
    assert actions.read_state(journey).answers["full_name"] == NAME


def test_removed_key_is_named_in_the_error(
    client: Client, definition: Definition, keys: Any
) -> None:
    keys(f"old:{_key(b'a')}")
    _answer_all(client)
    submission = _send(client)

    keys(f"new:{_key(b'b')}")

    with pytest.raises(crypto.KeyError_, match="'old'"):
        actions.read_answers(submission)
