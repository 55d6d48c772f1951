"""WSGI entry point (gunicorn hangzhou_waijiao.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hangzhou_waijiao.settings.production")

application = get_wsgi_application()
