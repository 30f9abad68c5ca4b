"""Public URLs of the address book (namespace ``contacts``), at the site root."""

from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("organisations/<slug:slug>/logo", views.organisation_logo, name="organisation_logo"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/<int:pk>.vcf", views.contact_vcard, name="vcard"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
]
