"""Save and come back later: from any question page, a single-use link by email or text
message that takes the journey up again on any device, until its return-by date."""

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.utils import timezone

from porth.audit.models import AuditEvent
from porth.background.service import registered
from porth.services import registry
from porth.services.definition import Definition
from porth.submissions import saving, signals, tasks
from porth.submissions.models import Journey, LinkRequest, ResumeLink, Submission
from porth.submissions.save_views import is_mobile, read_contact

pytestmark = pytest.mark.django_db

SLUG = "apply-for-a-thing"
BASE = f"/services/{SLUG}"
SAVE = f"{BASE}/save-for-later"
SAVED = f"{BASE}/saved"
NAME = "Jo Bloggs-Prydderch"
EMAIL = "jo@example.com"
SAVE_BUTTON = {"save-for-later": "1"}


def _text(en: str) -> dict[str, str]:
    return {"en": en, "cy": f"{en} (cy)"}


def _service(*, extra_page: bool = False, contact: bool = False) -> dict[str, Any]:
    """Name → live alone? → (if not) how many others → email → check answers."""
    pages: list[dict[str, Any]] = [
        {"id": "name", "fields": [{"id": "full_name", "type": "text", "label": _text("Name?")}]},
        {
            "id": "alone",
            "fields": [{"id": "alone", "type": "yesno", "label": _text("Do you live alone?")}],
            "next": [{"when": "answers.alone", "goto": "email"}],
        },
        {
            "id": "others",
            "fields": [{"id": "others", "type": "number", "label": _text("How many others?")}],
        },
        {"id": "email", "fields": [{"id": "email", "type": "email", "label": _text("Email?")}]},
    ]
    if extra_page:  # a new question, early in the journey
        pages.insert(
            1,
            {
                "id": "colour",
                "fields": [{"id": "colour", "type": "text", "label": _text("Favourite colour?")}],
            },
        )
    return {
        **({"contact": {"email": "email"}} if contact else {}),
        "slug": SLUG,
        "name": _text("Apply for a thing"),
        "summary": _text("For tests"),
        "organisation": {"id": "test-council", "name": _text("Test Council")},
        "start": {"body": _text("Use this service to apply.")},
        "pages": pages,
        "declaration": {"body": _text("What you told us is true.")},
        "confirmation": {"body": _text("We will reply within 10 days.")},
    }


@pytest.fixture
def serve(tmp_path: Any, settings: Any) -> Iterator[Any]:
    settings.PORTH_SERVICES_DIR = tmp_path
    settings.PORTH_BASE_URL = "https://council.example"

    def write(**options: Any) -> Definition:
        text = yaml.safe_dump(_service(**options), allow_unicode=True, sort_keys=False)
        (tmp_path / f"{SLUG}.yaml").write_text(text)
        registry.reload()
        definition = registry.get(SLUG)
        assert definition is not None
        return definition

    write()
    yield write
    registry.reload()


@pytest.fixture
def sent() -> Iterator[list[dict[str, Any]]]:
    """What `saved_for_later` was sent with, each time (notifications sends the message)."""
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        assert connection.in_atomic_block, "sent inside the saving transaction"
        calls.append(kwargs)

    signals.saved_for_later.connect(receiver, dispatch_uid="test_save_for_later")
    yield calls
    signals.saved_for_later.disconnect(dispatch_uid="test_save_for_later")


def _answer(client: Client, page: str, data: dict[str, str]) -> str:
    response = client.post(f"{BASE}/{page}", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    return str(response.headers["Location"])


def _save(client: Client, sent: list[dict[str, Any]], how: str = "email", to: str = EMAIL) -> str:
    """From the name page onwards: answer the name, save, give an address; the link."""
    assert _answer(client, "name", {"full_name": NAME}) == f"{BASE}/alone"
    assert _answer(client, "alone", {"alone": "no", **SAVE_BUTTON}) == SAVE
    field = "email" if how == "email" else "phone"
    response = client.post(SAVE, {"how": how, field: to})
    assert response.status_code == 303, response.content.decode()[:3000]
    assert response.headers["Location"] == SAVED
    return str(sent[-1]["link"])


def _path(link: str) -> str:
    return link.removeprefix("https://council.example").split("?")[0]


# --- Saving ------------------------------------------------------------------------------


def test_every_question_page_offers_to_save_and_come_back_later(serve: Any) -> None:
    client = Client()
    _answer(client, "name", {"full_name": NAME})

    html = client.get(f"{BASE}/alone").content.decode()

    # A secondary button in the page's form, after Continue (Enter continues).
    form = html[html.index('<form method="post" novalidate>') :]
    form = form[: form.index("</form>")]
    assert form.index("Continue") < form.index("Save and come back later")
    assert 'name="save-for-later"' in form
    assert "govuk-button--secondary" in form
    assert "Cadw a dod yn ôl yn nes ymlaen" in client.get(f"{BASE}/alone?lang=cy").content.decode()


def test_saving_keeps_the_pages_valid_answers_and_asks_where_to_send_the_link(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    client = Client()
    _answer(client, "name", {"full_name": NAME})

    assert _answer(client, "alone", {"alone": "no", **SAVE_BUTTON}) == SAVE

    html = client.get(SAVE).content.decode()
    assert "How do you want to get a link to come back to your application?" in html
    assert "have not been saved" not in html
    assert 'href="/services/apply-for-a-thing/others"' in html  # back to where they were
    client.post(SAVE, {"how": "email", "email": EMAIL})
    link = sent[-1]["link"]
    resumed = Client()
    resumed.post(_path(link))
    assert resumed.get(f"{BASE}/others").status_code == 200  # "alone" was kept


def test_saving_from_a_page_with_a_wrong_answer_keeps_the_others_and_says_so(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    client = Client()
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "no"})

    location = _answer(client, "others", {"others": "lots", **SAVE_BUTTON})

    assert location == f"{SAVE}?unsaved=1"
    assert "have not been saved" in client.get(location).content.decode()
    client.post(SAVE, {"how": "email", "email": EMAIL})
    resumed = Client()
    assert resumed.post(_path(sent[-1]["link"])).headers["Location"] == f"{BASE}/others"


def test_saving_before_answering_anything_saves_an_empty_journey(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    client = Client()

    assert _answer(client, "name", {"full_name": "", **SAVE_BUTTON}) == SAVE  # nothing typed

    client.post(SAVE, {"how": "sms", "phone": "07700 900982"})
    assert sent[-1]["kind"] == "sms"
    assert Client().post(_path(sent[-1]["link"])).headers["Location"] == f"{BASE}/name"


def test_the_save_pages_need_a_journey(serve: Any) -> None:
    client = Client()

    assert client.get(SAVE).headers["Location"] == f"{BASE}/"
    assert client.post(SAVE, {"how": "email", "email": EMAIL}).headers["Location"] == f"{BASE}/"
    assert not ResumeLink.objects.exists()


@pytest.mark.parametrize(
    ("form", "anchor", "message"),
    [
        ({}, "how", "Select how you want to get the link"),
        ({"how": "email", "email": "  "}, "email", "Enter your email address"),
        ({"how": "email", "email": "jo@"}, "email", "Enter an email address in the correct format"),
        ({"how": "sms", "phone": ""}, "phone", "Enter your mobile phone number"),
        ({"how": "sms", "phone": "01632 960 001"}, "phone", "Enter a mobile phone number, like"),
        ({"how": "sms", "phone": "not a number"}, "phone", "Enter a mobile phone number, like"),
        ({"how": "sms", "phone": "0" * 200}, "phone", "Enter a mobile phone number, like"),
        ({"how": "post", "email": EMAIL}, "how", "Select how you want to get the link"),
    ],
)
def test_where_to_send_the_link_is_checked_with_an_error_summary(
    serve: Any, sent: list[dict[str, Any]], form: dict[str, str], anchor: str, message: str
) -> None:
    client = Client()
    _answer(client, "name", {"full_name": NAME, **SAVE_BUTTON})

    response = client.post(SAVE, form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#{anchor}"' in html
    assert message in html
    assert html.count(message) == 2  # in the summary and by the input
    assert "<title>Error:" in html
    assert not sent
    assert not ResumeLink.objects.exists()
    # What was typed is shown again.
    if form.get("email", "").strip():
        assert f'value="{form["email"]}"' in html


def test_addresses_are_read_as_the_email_and_phone_questions_read_them() -> None:
    assert read_contact({"how": "email", "email": " Jo@Example.COM "})[1] == "Jo@example.com"
    assert read_contact({"how": "sms", "phone": "07700 900 982"})[1] == "+447700900982"
    assert read_contact({"how": "sms", "phone": "+33 6 12 34 56 78"})[1] == "+33612345678"
    assert read_contact({"how": "sms", "phone": "020 7946 0018"})[1] == ""  # a landline
    assert is_mobile("+447911123456")
    assert not is_mobile("+447012345678")  # personal numbers cannot take a text message


def test_the_address_already_given_is_filled_in(serve: Any) -> None:
    serve(contact=True)  # the definition says which question is the applicant's email
    client = Client()
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "yes"})
    _answer(client, "email", {"email": EMAIL, **SAVE_BUTTON})

    html = client.get(SAVE).content.decode()

    assert f'value="{EMAIL}"' in html
    assert re.search(r'value="email"\s+checked', html)


def test_the_save_pages_are_in_welsh(serve: Any) -> None:
    client = Client()
    client.get(f"{BASE}/?lang=cy")
    _answer(client, "name", {"full_name": NAME, **SAVE_BUTTON})

    html = client.post(SAVE, {}).content.decode()

    assert 'lang="cy"' in html
    assert "Dewiswch sut rydych am gael y ddolen" in html
    assert "Select how" not in html


def test_saving_sends_the_link_in_the_transaction_with_what_the_message_needs(
    serve: Any, sent: list[dict[str, Any]], settings: Any
) -> None:
    settings.PORTH_SAVE_DAYS = 28
    client = Client()
    before = timezone.now()

    link = _save(client, sent)

    (call,) = sent
    journey = Journey.objects.get()
    assert call["journey"] == journey
    assert call["definition"] == registry.get(SLUG)
    assert (call["kind"], call["to"], call["language"]) == ("email", EMAIL, "en")
    assert re.fullmatch(r"https://council\.example/resume/[A-Za-z0-9_-]{43}", link)
    return_by = call["return_by"]
    local = timezone.localtime(return_by)
    assert local.date() == timezone.localtime(before + timedelta(days=28)).date()
    assert (local.hour, local.minute) == (23, 59)  # the whole of the day they are told
    assert journey.keep_until == return_by
    assert journey.pinned


def test_only_a_hash_of_the_token_is_kept(serve: Any, sent: list[dict[str, Any]]) -> None:
    link = _save(Client(), sent)
    token = _path(link).rsplit("/", 1)[1]

    stored = ResumeLink.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    dumped = repr(list(ResumeLink.objects.values())) + repr(list(AuditEvent.objects.values()))
    assert token not in dumped


def test_saving_is_audited_without_the_address(serve: Any, sent: list[dict[str, Any]]) -> None:
    _save(Client(), sent, how="sms", to="07700 900982")

    entry = AuditEvent.objects.get(action="journey.saved_for_later")
    assert entry.data["service"] == SLUG
    assert entry.data["kind"] == "sms"
    assert "900982" not in repr(entry.data) and EMAIL not in repr(entry.data)
    assert entry.actor_label == "citizen"


def test_the_confirmation_shows_the_address_and_return_by_date_once(
    serve: Any, sent: list[dict[str, Any]], settings: Any
) -> None:
    client = Client()
    _save(client, sent)
    day = timezone.localtime(sent[-1]["return_by"])
    date_text = f"{day.day} {day:%B} {day.year}"

    html = client.get(SAVED).content.decode()

    assert f"We have sent a link to <strong>{EMAIL}</strong>." in html
    assert f"Return by <strong>{date_text}</strong> or your answers will be deleted." in html
    assert "spam" in html
    # The address is not kept in the session in the clear, and is shown only once.
    assert EMAIL not in repr(client.session.items())
    again = client.get(SAVED).content.decode()
    assert EMAIL not in again
    assert "We have sent you a link" in again


def test_the_confirmation_is_in_welsh_with_a_welsh_date(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    client = Client()
    client.get(f"{BASE}/?lang=cy")
    _save(client, sent, how="sms", to="+447700900982")

    html = client.get(SAVED).content.decode()

    assert sent[-1]["language"] == "cy"
    assert sent[-1]["link"].endswith("?lang=cy")
    assert "Rydym wedi anfon dolen at <strong>07700 900982</strong>." in html
    welsh_months = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf"]
    welsh_months += ["Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"]
    month = welsh_months[timezone.localtime(sent[-1]["return_by"]).month - 1]
    assert f" {month} " in html


def test_after_saving_this_browser_no_longer_holds_the_answers(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    client = Client()
    _save(client, sent)

    # A fresh start: the first page, with nothing filled in.
    assert client.get(f"{BASE}/others").headers["Location"] == f"{BASE}/name"
    assert NAME not in client.get(f"{BASE}/name").content.decode()
    assert Journey.objects.count() == 1  # kept for the link


def test_not_offered_in_assisted_digital(serve: Any) -> None:
    from porth.submissions.tests.test_assisted import _signed_in, _staff, _start

    staff = _signed_in(_staff("cara", "test-council"))
    first = _start(staff, "assisted", SLUG)

    html = staff.get(first).content.decode()
    assert "You are applying on behalf of a citizen" in html
    assert "Save and come back later" not in html
    assert staff.get(SAVE).status_code == 404
    assert staff.get(SAVED).status_code == 404
    # Pressed anyway: an ordinary Continue.
    assert _answer(staff, "name", {"full_name": NAME, **SAVE_BUTTON}) == f"{BASE}/alone"


# --- Coming back ----------------------------------------------------------------------------


def test_the_link_resumes_on_another_device_at_the_first_unanswered_page(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    link = _save(Client(), sent)
    phone = Client()

    opened = phone.get(_path(link))
    assert opened.status_code == 200
    assert "Continue your application" in opened.content.decode()
    assert phone.get(_path(link)).status_code == 200  # opening it uses nothing

    resumed = phone.post(_path(link))

    assert resumed.status_code == 303
    assert resumed.headers["Location"] == f"{BASE}/others"
    assert NAME in phone.get(f"{BASE}/name").content.decode()
    _answer(phone, "others", {"others": "2"})
    _answer(phone, "email", {"email": EMAIL})
    assert phone.post(f"{BASE}/check-answers").headers["Location"] == f"{BASE}/confirmation"
    assert Submission.objects.count() == 1
    assert AuditEvent.objects.filter(action="journey.resumed", data__service=SLUG).exists()


def test_a_complete_journey_resumes_at_check_your_answers(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    client = Client()
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "yes"})
    _answer(client, "email", {"email": EMAIL, **SAVE_BUTTON})
    client.post(SAVE, {"how": "email", "email": EMAIL})

    assert Client().post(_path(sent[-1]["link"])).headers["Location"] == f"{BASE}/check-answers"


def test_the_link_works_once(serve: Any, sent: list[dict[str, Any]]) -> None:
    link = _path(_save(Client(), sent))
    first, second = Client(), Client()
    first.get(link)
    second.get(link)  # both opened it; only one can use it

    assert first.post(link).status_code == 303
    used = second.post(link)

    assert used.status_code == 410
    html = used.content.decode()
    assert "This link has already been used" in html
    assert "continue your application there" in html
    assert second.get(link).status_code == 410
    assert second.get(f"{BASE}/others").headers["Location"] == f"{BASE}/name"


def test_two_uses_at_once_cannot_both_take_the_journey(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    token = _path(_save(Client(), sent)).rsplit("/", 1)[1]
    # The second reads the link as unused, as if just before the first marked it.
    stale = ResumeLink.objects.get()
    saving.resume(token)

    taken = ResumeLink.objects.filter(pk=stale.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )

    assert taken == 0  # the conditional update the second would make finds nothing
    with pytest.raises(saving.LinkProblem) as problem:
        saving.resume(token)
    assert problem.value.problem == "used"


def test_an_expired_link_says_the_answers_were_deleted(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    link = _path(_save(Client(), sent))
    ResumeLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    for response in (Client().get(link), Client().post(link)):
        assert response.status_code == 410
        html = response.content.decode()
        assert "This link has expired" in html
        assert "your answers have been deleted" in html
        assert 'href="/services/apply-for-a-thing/"' in html  # start again


@pytest.mark.parametrize("change", ["tampered", "cut short", "too long", "made up"])
def test_a_tampered_link_is_not_found_with_a_plain_page(
    serve: Any, sent: list[dict[str, Any]], change: str
) -> None:
    link = _path(_save(Client(), sent))
    token = link.rsplit("/", 1)[1]
    wrong = {
        "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "cut short": token[:20],
        "too long": token * 10,
        "made up": "x",
    }[change]

    for response in (Client().get(f"/resume/{wrong}"), Client().post(f"/resume/{wrong}")):
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert ResumeLink.objects.get().used_at is None


def test_the_link_problem_pages_are_in_welsh(serve: Any, sent: list[dict[str, Any]]) -> None:
    html = Client().get("/resume/nonsense?lang=cy").content.decode()

    assert 'lang="cy"' in html
    assert "Nid yw’r ddolen hon yn gweithio" in html


def test_saving_again_makes_the_older_unused_link_stop_working(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    client = Client()
    first = _path(_save(client, sent))
    client.post(first)  # back in the same browser
    _answer(client, "others", {"others": "3", **SAVE_BUTTON})
    client.post(SAVE, {"how": "email", "email": EMAIL})
    second = _path(sent[-1]["link"])

    assert Client().get(first).status_code == 410  # used
    assert Client().post(second).headers["Location"] == f"{BASE}/email"


def test_a_newer_link_replaces_an_unused_one(serve: Any, sent: list[dict[str, Any]]) -> None:
    client = Client()
    _answer(client, "name", {"full_name": NAME, **SAVE_BUTTON})
    # Two posts of the form at once (a double click without JavaScript): both are sent.
    twin = Client()
    for name, morsel in client.cookies.items():
        twin.cookies[name] = morsel.value
    client.post(SAVE, {"how": "email", "email": EMAIL})
    twin.post(SAVE, {"how": "email", "email": "other@example.com"})

    first, second = (_path(call["link"]) for call in sent)
    assert Client().get(first).status_code == 404
    assert Client().post(second).status_code == 303


def test_one_address_is_sent_only_so_many_links_a_day(
    serve: Any, sent: list[dict[str, Any]], settings: Any
) -> None:
    settings.PORTH_SAVE_LINKS_PER_ADDRESS = 2
    for _ in range(2):
        _save(Client(), sent)
    client = Client()
    _answer(client, "name", {"full_name": NAME, **SAVE_BUTTON})
    response = client.post(SAVE, {"how": "email", "email": EMAIL})

    assert response.status_code == 200
    assert "You have asked for too many links" in response.content.decode()
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert len(sent) == 2  # no third message
    # Another address is still sent its link, and the journey is still this browser's.
    response = client.post(SAVE, {"how": "email", "email": "other@example.com"})
    assert response.headers["Location"] == SAVED and len(sent) == 3


def test_one_client_is_sent_only_so_many_links_an_hour(
    serve: Any, sent: list[dict[str, Any]], settings: Any
) -> None:
    settings.PORTH_SAVE_LINKS_PER_CLIENT = 3
    for n in range(3):
        _save(Client(), sent, to=f"person{n}@example.com")
    client = Client()
    _answer(client, "name", {"full_name": NAME, **SAVE_BUTTON})
    response = client.post(SAVE, {"how": "email", "email": "person9@example.com"})

    assert "You have asked for too many links" in response.content.decode()
    assert len(sent) == 3
    assert not LinkRequest.objects.filter(to_hash__contains="person9").exists()  # hashes only


def test_link_requests_are_forgotten_after_a_day(serve: Any, sent: list[dict[str, Any]]) -> None:
    _save(Client(), sent)
    assert LinkRequest.objects.count() == 1
    saving.erase_unresumed(now=timezone.now() + timedelta(days=1, minutes=1))
    assert LinkRequest.objects.count() == 0


def test_a_saved_journey_outlives_the_idle_limit_until_its_return_by_date(
    serve: Any, sent: list[dict[str, Any]], settings: Any
) -> None:
    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    link = _path(_save(Client(), sent))
    Journey.objects.update(updated_at=timezone.now() - timedelta(days=20))

    phone = Client()
    assert phone.post(link).headers["Location"] == f"{BASE}/others"

    # Back in a browser, it is an ordinary journey again: idle from now.
    assert NAME in phone.get(f"{BASE}/name").content.decode()
    journey = Journey.objects.get()
    assert journey.keep_until is None
    assert journey.updated_at > timezone.now() - timedelta(minutes=1)


def test_resuming_replaces_this_browsers_own_journey_through_the_service(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    link = _path(_save(Client(), sent))
    phone = Client()
    _answer(phone, "name", {"full_name": "Someone Else"})
    assert Journey.objects.count() == 2

    phone.post(link)

    assert Journey.objects.count() == 1
    assert NAME in phone.get(f"{BASE}/name").content.decode()


# --- The definition version -------------------------------------------------------------------


def test_a_resumed_journey_continues_on_the_version_it_started_on(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    started_on = registry.get(SLUG)
    assert started_on is not None
    link = _path(_save(Client(), sent))
    changed = serve(extra_page=True)  # a new question, before the ones answered
    assert changed.version != started_on.version

    phone = Client()
    assert phone.post(link).headers["Location"] == f"{BASE}/others"  # not /colour
    assert phone.get(f"{BASE}/colour").status_code == 404  # not in its version
    _answer(phone, "others", {"others": "2"})
    _answer(phone, "email", {"email": EMAIL})
    phone.post(f"{BASE}/check-answers")

    submission = Submission.objects.get()
    assert submission.definition.version == started_on.version


@pytest.mark.fast_path("journey_memory")
@pytest.mark.usefixtures("analytics_batched")  # the page's own queries
def test_a_journey_on_an_older_version_costs_no_more_per_page(
    serve: Any, sent: list[dict[str, Any]], django_assert_num_queries: Any
) -> None:
    link = _path(_save(Client(), sent))
    serve(extra_page=True)
    phone = Client()
    phone.post(link)

    following = _answer(phone, "others", {"others": "2"})

    with django_assert_num_queries(0):  # as for any journey (test_workers)
        assert phone.get(following).status_code == 200


def test_a_journey_not_saved_moves_to_the_new_version(serve: Any) -> None:
    client = Client()
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "yes"})
    serve(extra_page=True)

    assert client.get(f"{BASE}/email").headers["Location"] == f"{BASE}/colour"


# --- Erasure ----------------------------------------------------------------------------------


def test_answers_are_erased_when_the_link_expires_unused(
    serve: Any, sent: list[dict[str, Any]], settings: Any
) -> None:
    settings.PORTH_SAVE_DAYS = 28
    _save(Client(), sent)
    used = _path(_save(Client(), sent))
    Client().post(used)  # resumed: an ordinary journey again, not erased with the saved ones
    kept = Journey.objects.get(keep_until__isnull=True)
    ordinary = Client()
    _answer(ordinary, "name", {"full_name": "Not saved"})
    link_expires = ResumeLink.objects.get(used_at__isnull=True).expires_at

    assert saving.erase_unresumed(now=link_expires - timedelta(seconds=1)) == 0
    assert saving.erase_unresumed(now=link_expires + timedelta(seconds=1)) == 1

    assert Journey.objects.count() == 2
    assert Journey.objects.filter(pk=kept.pk).exists()
    entry = AuditEvent.objects.filter(action="journeys.discarded").latest("pk")
    assert entry.data == {"reason": "not resumed", "services": [SLUG], "count": 1}
    # The link stays a while, so that a late click hears the link expired.
    assert ResumeLink.objects.count() == 2
    later = link_expires + timedelta(days=29)
    saving.erase_unresumed(now=later)
    assert not ResumeLink.objects.exists()


def test_the_daily_scan_for_abandoned_journeys_leaves_saved_ones_until_they_expire(
    serve: Any, sent: list[dict[str, Any]], settings: Any
) -> None:
    from porth.submissions import erasure

    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    _save(Client(), sent)
    journey = Journey.objects.get()
    later = timezone.now() + timedelta(days=20)  # idle for 20 days, its link still good
    assert journey.keep_until is not None

    assert not erasure.abandoned(later).exists()
    assert list(erasure.abandoned(journey.keep_until + timedelta(seconds=1))) == [journey]


def test_the_erasure_runs_every_hour_as_a_background_task(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    entry = registered()["submissions.erase_unresumed_journeys"]
    assert entry.task is tasks.erase_unresumed_journeys
    assert entry.every == timedelta(hours=1)
    _save(Client(), sent)
    Journey.objects.update(keep_until=timezone.now() - timedelta(seconds=1))

    result = tasks.erase_unresumed_journeys.enqueue()  # run at once in tests

    assert result.return_value == 1
    assert not Journey.objects.exists()


def test_a_late_click_on_an_erased_journeys_link_says_it_expired(
    serve: Any, sent: list[dict[str, Any]]
) -> None:
    link = _path(_save(Client(), sent))
    expires = ResumeLink.objects.get().expires_at
    saving.erase_unresumed(now=expires + timedelta(seconds=1))
    ResumeLink.objects.update(expires_at=expires)  # (still before its own expiry, even)

    response = Client().get(link)

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_save_days_must_be_positive(settings: Any) -> None:
    from porth.submissions.checks import save_days

    settings.PORTH_SAVE_DAYS = 0
    assert [error.id for error in save_days(None)] == ["porth.submissions.E001"]
    settings.PORTH_SAVE_DAYS = 28
    assert save_days(None) == []
