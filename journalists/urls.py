from django.urls import path

from journalists import views

app_name = "journalists"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/delete/", views.delete_account, name="delete"),
    path("agreement/", views.agreement, name="agreement"),
    path("reconfirm/<str:token>/", views.reconfirm_account, name="reconfirm"),
]
