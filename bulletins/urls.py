"""Public bulletin URLs; included by the project as ``path("bulletins/", include(...))``."""

from django.urls import path

from bulletins import views as bulletin_views

app_name = "bulletins"

urlpatterns = [
    path("", bulletin_views.bulletin_list, name="list"),
    path("<slug:slug>.txt", bulletin_views.bulletin_text, name="text"),
    path("<slug:slug>/", bulletin_views.bulletin_detail, name="detail"),
]
