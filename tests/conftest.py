"""Tests outside the package get the package's database set-up too: on PostgreSQL the test
runner must be allowed to empty the audit tables (see porth.conftest.django_db_setup)."""

from porth.conftest import django_db_setup

__all__ = ["django_db_setup"]
