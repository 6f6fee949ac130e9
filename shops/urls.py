from django.urls import path

from shops import views

app_name = "shops"
urlpatterns = [path("", views.home, name="home")]
