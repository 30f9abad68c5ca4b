from django.urls import path

from medialists import views

app_name = "medialists"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
