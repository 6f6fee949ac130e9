app_name = "livestream"
urlpatterns: list = []
