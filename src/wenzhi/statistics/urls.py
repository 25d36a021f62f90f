from . import output_urls

app_name = "statistics"
urlpatterns: list = []
urlpatterns += output_urls.urlpatterns  # analysis, bulletins, assessment
