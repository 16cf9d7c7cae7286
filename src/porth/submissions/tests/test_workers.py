"""Several server workers, several tabs: what a worker remembers of a journey never shows a
citizen out-of-date answers, nor lets an out-of-date tab overwrite newer ones."""

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db.models.signals import post_init
from django.test import Client

from porth.fastpath.memory import Recent
from porth.services.definition import Definition
from porth.submissions import actions, store, views
from porth.submissions.models import Journey
from porth.submissions.views import REVISION_COOKIE
from porth.utils import crypto

from . import test_journey
from .test_journey import BASE, CHECK, CONFIRMATION, NAME, _answer, _answer_all, _rows, _send

serve, definition = test_journey.serve, test_journey.definition  # its test service's fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("definition")]

Workers = Callable[[int], None]


def _memory() -> Recent:
    return Recent(size=store.RECENT_SIZE, seconds=store.RECENT_SECONDS)


@pytest.fixture
def worker(monkeypatch: Any) -> Workers:
    """`worker(n)`: the next requests are served by worker n, with a memory of its own."""
    memories = [(_memory(), _memory()) for _ in range(2)]

    def serve_with(n: int) -> None:
        monkeypatch.setattr(store, "_recent", memories[n][0])
        monkeypatch.setattr(store, "_sent", memories[n][1])

    serve_with(0)
    return serve_with


def test_a_page_shows_an_answer_changed_through_another_worker(
    client: Client, worker: Workers
) -> None:
    _answer_all(client)
    assert NAME in client.get(f"{BASE}/name?change=1").content.decode()  # worker 0 has it

    worker(1)
    _answer(client, "name", {"full_name": "Sam Jones"}, change=True)

    worker(0)
    page = client.get(f"{BASE}/name?change=1").content.decode()
    assert "Sam Jones" in page and NAME not in page
    assert _rows(client.get(CHECK).content.decode())["Name"] == "Sam Jones"


def test_an_out_of_date_tab_does_not_overwrite_what_another_tab_saved(
    client: Client, worker: Workers
) -> None:
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "no"})
    # A tab left open here: the browser was last sent the journey as it is now.
    old_revision = client.cookies[REVISION_COOKIE].value

    worker(1)  # the other tab carries on
    _answer(client, "others", {"others": "2"})
    _answer(client, "email", {"email": "jo@example.com"})

    worker(0)  # the first tab's answer reaches the server with the revision it had then
    client.cookies[REVISION_COOKIE] = old_revision
    _answer(client, "name", {"full_name": "Sam Jones"})

    rows = _rows(client.get(CHECK).content.decode())
    assert rows["Name"] == "Sam Jones"
    assert "2" in rows.values() and "jo@example.com" in rows.values()


def test_after_sending_no_worker_shows_the_answers_again(client: Client, worker: Workers) -> None:
    _answer_all(client)
    client.get(CHECK)  # worker 0 has the journey as it was before sending

    worker(1)
    _send(client)

    worker(0)
    assert client.get(CHECK).headers["Location"] == CONFIRMATION
    assert NAME not in client.get(f"{BASE}/name").content.decode()


@pytest.mark.fast_path("journey_memory")
@pytest.mark.usefixtures("analytics_batched")  # the page's own queries
def test_the_confirmation_is_shown_by_the_worker_that_sent_without_a_query(
    client: Client,
    worker: Workers,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _answer_all(client)
    with django_capture_on_commit_callbacks(execute=True):
        reference = _send(client).reference

    with django_assert_num_queries(0):
        assert reference in client.get(CONFIRMATION).content.decode()
    worker(1)  # any other worker reads it
    with django_assert_num_queries(1):
        assert reference in client.get(CONFIRMATION).content.decode()


def test_a_submission_rolled_back_is_not_remembered_as_sent(
    client: Client, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from porth.audit import service as audit

    _answer_all(client)
    journey_id = Journey.objects.get().pk
    monkeypatch.setattr(audit, "_append", _fail)  # the send fails as its transaction ends
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        client.post(CHECK)

    # This journey only: other tests in this process may have sent theirs.
    assert store._sent.get(journey_id) is None
    assert client.get(CONFIRMATION).headers["Location"] == f"{BASE}/"  # nothing was sent


@pytest.mark.fast_path("journey_memory")
@pytest.mark.usefixtures("analytics_batched")  # the page's own queries
def test_the_next_page_is_shown_without_reading_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    following = _answer(client, "name", {"full_name": NAME})

    with django_assert_num_queries(0):
        assert client.get(following).status_code == 200


@pytest.mark.fast_path("journey_memory")
@pytest.mark.usefixtures("analytics_batched")  # the page's own queries
def test_a_journey_remembered_too_long_ago_is_read_again(
    client: Client, django_assert_num_queries: Any, monkeypatch: Any
) -> None:
    following = _answer(client, "name", {"full_name": NAME})
    monkeypatch.setattr(store._recent, "seconds", 0.0)

    with django_assert_num_queries(1):
        assert client.get(following).status_code == 200


@pytest.mark.fast_path("journey_memory")
def test_a_worker_remembers_journeys_encrypted_and_only_so_many(
    client: Client, worker: Workers, monkeypatch: Any
) -> None:
    monkeypatch.setattr(store._recent, "size", 2)
    for _ in range(3):
        _answer(Client(), "name", {"full_name": NAME})

    kept = store._recent._kept
    assert len(kept) == 2
    stored = {journey.pk: bytes(journey.state) for journey in Journey.objects.all()}
    for journey_id, ((_revision, row), _when) in kept.items():
        assert bytes(row[_attnames().index("state")]) == stored[journey_id]
    assert NAME.encode() not in repr(kept).encode()


def _attnames() -> list[str]:
    return store._sql().attnames


def test_the_revision_cookie_is_the_services_own_and_hidden_from_scripts(
    client: Client, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = True  # as in production
    _answer(client, "name", {"full_name": NAME})

    cookie = client.cookies[REVISION_COOKIE]
    assert cookie["path"] == f"{BASE}/"
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes


@pytest.mark.parametrize("value", ["not-a-number", "0", "1", "99999", "-1", "9" * 40])
def test_a_made_up_revision_shows_the_journey_as_stored(client: Client, value: str) -> None:
    _answer_all(client)
    _answer(client, "name", {"full_name": "Sam Jones"}, change=True)

    client.cookies[REVISION_COOKIE] = value

    assert _rows(client.get(CHECK).content.decode())["Name"] == "Sam Jones"


@pytest.mark.django_db(transaction=True)
def test_a_save_after_a_locked_read_cannot_be_overtaken() -> None:
    """The view's second try (after a Stale save) reads the journey locked: a save from
    another tab waits for it, then finds the journey changed, instead of overwriting it."""
    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections: PostgreSQL (SQLite's tests share one)")
    journey = Journey(service="test-service", version="v1", state=b"\x00", key_id="k1")
    store.save(journey)
    locked, waiting_save_ran = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def other_tab() -> None:
        locked.wait(5)
        stale = store.open_journey(journey.pk)
        assert stale is not None
        try:
            store.save(stale)  # blocks until the first tab commits
            outcome["other"] = "saved"
        except store.Stale:
            outcome["other"] = "stale"
        finally:
            waiting_save_ran.set()
            connections.close_all()

    thread = threading.Thread(target=other_tab)
    thread.start()
    with transaction.atomic():
        mine = store.open_journey(journey.pk, lock=True)
        assert mine is not None
        locked.set()
        assert not waiting_save_ran.wait(0.3)  # the other save is held back by the lock
        mine.state = b"\x01"
        store.save(mine)
    thread.join(5)

    assert outcome == {"other": "stale"}
    assert bytes(Journey.objects.get(pk=journey.pk).state) == b"\x01"


@pytest.mark.fast_path("journey_memory")
def test_a_second_try_that_fails_after_saving_leaves_nothing_remembered(
    client: Client, monkeypatch: Any
) -> None:
    _answer(client, "name", {"full_name": NAME})
    journey = Journey.objects.get()
    Journey.objects.filter(pk=journey.pk).update(revision=journey.revision + 1)  # another tab
    monkeypatch.setattr(views, "_remember", _fail)  # the second try fails after its save

    with pytest.raises(RuntimeError):
        _answer(client, "name", {"full_name": "Sam Jones"}, change=True)

    monkeypatch.undo()
    # Another worker saves it at the revision the rolled-back save had, and says so.
    client.cookies[REVISION_COOKIE] = str(journey.revision + 2)
    assert NAME in client.get(f"{BASE}/name?change=1").content.decode()


def _fail(*args: Any) -> None:
    raise RuntimeError("after the save")


def test_whoever_listens_for_new_model_instances_hears_of_a_remembered_journey(
    client: Client,
) -> None:
    _answer(client, "name", {"full_name": NAME})
    heard: list[Any] = []

    def listener(sender: Any, instance: Any, **kwargs: Any) -> None:
        heard.append(instance)

    post_init.connect(listener, sender=Journey)
    try:
        page = client.get(f"{BASE}/alone").content.decode()
    finally:
        post_init.disconnect(listener, sender=Journey)
    assert "alone" in page
    assert any(isinstance(journey, Journey) for journey in heard)


@pytest.mark.parametrize("how", ["one", "many"])
def test_a_journey_deleted_is_not_shown_again_from_memory(client: Client, how: str) -> None:
    following = _answer(client, "name", {"full_name": NAME})
    journey_id = client.session[views.SESSION_KEY][test_journey.SLUG]

    if how == "one":
        Journey.objects.get(pk=journey_id).delete()
    else:  # erasing in bulk, as retention does
        Journey.objects.filter(service=test_journey.SLUG).delete()

    page = client.get(f"{BASE}/name").content.decode()
    assert NAME not in page
    assert client.get(following).status_code == 303  # a new journey starts at the first page


def test_sending_decrypts_the_journey_once(client: Client, monkeypatch: Any) -> None:
    _answer_all(client)
    contexts: list[str] = []
    decrypt = crypto.decrypt

    def counting(*args: Any, context: str, **kwargs: Any) -> Any:
        contexts.append(context)
        return decrypt(*args, context=context, **kwargs)

    monkeypatch.setattr(crypto, "decrypt", counting)
    _send(client)

    assert [context for context in contexts if context.startswith("journey:")] == [
        f"journey:{Journey.objects.get().pk}"
    ]


def test_answers_saved_after_check_answers_was_read_are_the_ones_sent(
    client: Client, definition: Definition
) -> None:
    _answer_all(client)
    journey = Journey.objects.get()
    state = actions.read_state(journey)  # what check answers showed

    _answer(client, "name", {"full_name": "Sam Jones"}, change=True)  # another tab, meanwhile
    submission = actions.submit(journey, definition, language="en", today=date.today(), state=state)

    assert actions.read_answers(submission)["full_name"] == "Sam Jones"


def test_a_journey_deleted_by_another_worker_is_never_saved_again(
    client: Client, worker: Workers
) -> None:
    _answer(client, "name", {"full_name": NAME})
    _answer(client, "alone", {"alone": "yes"})
    journey_id = client.session[views.SESSION_KEY][test_journey.SLUG]

    worker(1)  # another worker (or a command) erases it; worker 0 still remembers it
    Journey.objects.filter(pk=journey_id).delete()

    worker(0)
    following = _answer(client, "email", {"email": "jo@example.com"})

    # The save was refused (the row was gone), so the journey started afresh from this
    # answer alone: nothing of the erased journey came back.
    assert not Journey.objects.filter(pk=journey_id).exists()
    assert following == f"{BASE}/name"
    assert NAME not in client.get(f"{BASE}/name").content.decode()
