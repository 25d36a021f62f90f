import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
application = get_wsgi_application()

from wenzhi.core.api.fastlane import FastLaneApplication  # noqa: E402 - after Django is set up

application = FastLaneApplication(application)  # the API's hot writes before the handler (core.api.fastlane)

if os.environ.get("WENZHI_WEB_TIMEOUT"):  # set by `wenzhi serve`: its --timeout (core.serving)
    from wenzhi.core.serving import RequestTimeLimit

    application = RequestTimeLimit(application, float(os.environ["WENZHI_WEB_TIMEOUT"]))
