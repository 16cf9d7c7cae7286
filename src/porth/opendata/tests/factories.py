"""Datasets for tests, and publishers to make them.

from porth.opendata.tests.factories import DatasetFactory, publisher
user = publisher("example-council")
dataset = DatasetFactory(organisation=user.memberships.get().organisation, tags=["roads"])
"""

from typing import Any

import factory

from porth.accounts.models import Membership, Organisation, Role, User
from porth.accounts.tests.factories import MembershipFactory, OrganisationFactory
from porth.opendata.models import Dataset, Resource, Tag, Theme


def publisher(organisation: str | Organisation = "example-council") -> User:
    """A data publisher of `organisation` (a slug, made if need be)."""
    if isinstance(organisation, str):
        organisation = OrganisationFactory.create(slug=organisation, name=organisation.title())
    membership: Membership = MembershipFactory.create(
        organisation=organisation, role=Role.DATA_PUBLISHER
    )
    return membership.user


class DatasetFactory(factory.django.DjangoModelFactory[Dataset]):
    class Meta:
        model = Dataset
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"dataset-{n}")
    title = factory.Sequence(lambda n: f"Dataset {n}")
    notes = "Counts of things, by month."
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def tags(self, create: bool, names: list[str] | None, **_: Any) -> None:
        if create and names:
            self.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])

    @factory.post_generation
    def themes(self, create: bool, names: list[str] | None, **_: Any) -> None:
        if create and names:
            self.themes.set(Theme.objects.filter(name__in=names))


class ResourceFactory(factory.django.DjangoModelFactory[Resource]):
    """A link; give `upload=ContentFile(...)` for a file."""

    class Meta:
        model = Resource

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"Resource {n}")
    format = "CSV"
    url = "https://data.example.gov.uk/file.csv"
