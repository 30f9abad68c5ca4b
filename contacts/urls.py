from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/logo", views.organisation_logo, name="organisation_logo"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
]
