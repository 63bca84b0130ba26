"""An email backend for benchmarks: builds each MIME message as a real backend would, then counts
it (and each connection) in Redis instead of sending, so another process can watch the total."""

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

EMAILS_KEY = "bench:notifications:emails"
CONNECTIONS_KEY = "bench:notifications:connections"


class CountingBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.redis = redis.Redis.from_url(settings.REDIS_URL)
        self.redis.incr(CONNECTIONS_KEY)

    def send_messages(self, email_messages):
        size = sum(len(message.message().as_bytes()) for message in email_messages)
        pipe = self.redis.pipeline(transaction=False)
        pipe.incrby(EMAILS_KEY, len(email_messages))
        pipe.incrby(f"{EMAILS_KEY}:bytes", size)
        pipe.execute()
        return len(email_messages)
