import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkhealth.settings.base")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process: moved
# out of the collector's sight, a full collection scans only what requests create and takes a few
# milliseconds instead of tens (the pause lands on whichever request triggers it).
gc.freeze()
