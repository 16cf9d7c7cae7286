"""Background work shared by every app: periodic tasks (the scheduler) and the worker that
runs tasks (django.tasks). Imports no other app of Porth: apps register their periodic tasks
here from their AppConfig.ready()."""
