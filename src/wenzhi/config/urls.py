import importlib
import importlib.util

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from wenzhi.core import views as core_views
from wenzhi.core.forms import LoginForm

handler403 = "wenzhi.core.views.error_403"
handler404 = "wenzhi.core.views.error_404"
handler500 = "wenzhi.core.views.error_500"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("about/", core_views.about, name="about"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("wenzhi.core.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a script file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/api_docs.html"),
         name="api-docs"),
]

# Domain apps bring their own pages and API routes (registered with core in AppConfig.ready()).
for app in settings.DOMAIN_APPS:
    label = app.rsplit(".", 1)[-1]
    if app in settings.INSTALLED_APPS:
        # An app may mount elsewhere than its label (URL_PREFIX in its urls.py): /media/ is MEDIA_URL.
        module = importlib.import_module(f"{app}.urls")
        urlpatterns.append(path(f"{getattr(module, 'URL_PREFIX', label)}/", include(module)))
        if importlib.util.find_spec(f"{app}.api.urls") is not None:  # an app may have no API; a broken one fails
            importlib.import_module(f"{app}.api.urls")

urlpatterns.append(path("api/v1/", include("wenzhi.core.api.urls")))
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) if settings.DEBUG else []
