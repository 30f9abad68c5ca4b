"""Contact-card URLs, included at the site root by ``newsroom/urls.py``."""

from django.urls import path

from contacts import vcard_views

app_name = "vcard"

urlpatterns = [
    path("contacts/<int:pk>.vcf", vcard_views.contact_vcard, name="contact"),
    path(
        "releases/<slug:slug>/contacts.vcf",
        vcard_views.release_contacts_vcard,
        name="release_contacts",
    ),
]
