from django.urls import path

app_name = "watch"
urlpatterns: list = []
