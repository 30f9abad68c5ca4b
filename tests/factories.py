"""factory_boy factories shared by every test module."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from contacts.models import MediaContact, Organisation, Partnership, PartnershipMember
from releases.models import PressRelease, ReleaseContact, ReleaseOrganisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.NGO
    about = "<p>An organisation that issues press releases.</p>"


class MediaContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaContact

    name = factory.Sequence(lambda n: f"Contact Person {n}")
    honorific = "Ms."
    job_title = "Communications Officer"
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "+92 51 1234567"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    title = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    kind = Partnership.Kind.MOU
    signed_on = datetime.date(2023, 10, 18)
    status = Partnership.Status.ACTIVE


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PartnershipMember.Role.SIGNATORY


class PressReleaseFactory(factory.django.DjangoModelFactory):
    """A published release by default; pass ``status=...`` for others.

    ``organisations=[org, ...]`` and ``contacts=[contact, ...]`` create the
    ordered link rows.
    """

    class Meta:
        model = PressRelease
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Press release number {n}")
    slug = factory.Sequence(lambda n: f"press-release-{n}")
    summary = "A short summary of the release."
    dateline_place = "Islamabad"
    dateline_date = datetime.date(2023, 10, 18)
    body = "<p>The body of the release.</p>"
    status = PressRelease.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            for i, org in enumerate(extracted):
                ReleaseOrganisation.objects.create(release=self, organisation=org, order=i)

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            for i, contact in enumerate(extracted):
                ReleaseContact.objects.create(release=self, contact=contact, order=i)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class ReleaseImageFactory(factory.django.DjangoModelFactory):
    """A picture of a published release; the file is a real JPEG made by Pillow.

    Pass ``image__width``/``image__height`` for another size, or ``image=`` a
    ``SimpleUploadedFile`` of your own.
    """

    class Meta:
        model = "releases.ReleaseImage"

    release = factory.SubFactory(PressReleaseFactory)
    image = factory.django.ImageField(width=64, height=48, color="orange", format="JPEG")
    alt_text = factory.Sequence(lambda n: f"People gathered at a distribution point, picture {n}")
    caption = factory.Sequence(lambda n: f"Families receive relief supplies (picture {n}).")
    credit = factory.Sequence(lambda n: f"© Example Organisation 2023/Photographer {n}")
