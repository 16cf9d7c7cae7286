"""`porth worker`: run background tasks, and the scheduler of periodic tasks beside them.

With PORTH_TASKS=database (the default) it runs django-tasks-db's `db_worker`, which takes
tasks from the database; with PORTH_TASKS=rq, django-rq's `rqworker` on Redis. Either way
the scheduler ticks in a thread of the same process (porth.background.scheduler). Run as
many as you like, on as many machines as share the database (and Redis): each task runs
once, each periodic task is enqueued once. SIGTERM lets the task in hand finish, then stops.
"""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from porth.background.scheduler import Ticker


class Command(BaseCommand):
    help = "Run background tasks (django.tasks) and the scheduler of periodic tasks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="database backend: seconds between looks for a task when there is none",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="run tasks only: leave periodic tasks to the other workers",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.PORTH_TASKS
        if backend not in {"database", "rq"}:
            raise CommandError(
                f"PORTH_TASKS={backend}: tasks run as they are enqueued, in the process that "
                "enqueues them, so there is nothing for a worker to do. "
                "Set PORTH_TASKS=database (or rq) for the web server and the workers."
            )
        ticker = Ticker() if options["scheduler"] else None
        if ticker is not None:
            ticker.start()
        try:
            if backend == "database":
                call_command(
                    "db_worker",
                    interval=options["interval"],
                    reload=False,  # a reloader would run the scheduler in two processes
                    verbosity=options["verbosity"],
                )
            else:
                call_command(
                    "rqworker",
                    "default",
                    # SimpleWorker runs each job in this process instead of a fork: forking
                    # a process with a second thread (the scheduler) can deadlock the child.
                    worker_class="rq.worker.SimpleWorker",
                    # django-tasks-rq's jobs call the django.tasks Task they carry.
                    job_class="django_tasks_rq.Job",
                    # RQ's scheduler moves tasks enqueued for later (retries) onto the queue.
                    with_scheduler=True,
                    verbosity=options["verbosity"],
                )
        finally:
            if ticker is not None:
                ticker.stop()
