
app_name = "followup"
urlpatterns: list = []
