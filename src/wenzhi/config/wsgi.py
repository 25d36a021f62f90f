import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
application = get_wsgi_application()

from wenzhi.core.api.fastlane import FastLaneApplication  # noqa: E402 - after Django is set up

application = FastLaneApplication(application)  # the API's hot writes before the handler (core.api.fastlane)
