from django.core.management.base import BaseCommand

from governance.api.webhooks import deliveries_due, webhook_attempt


class Command(BaseCommand):
    help = (
        "Post the webhook events whose next attempt is due: the retries when no Celery broker is "
        "configured, and any event whose task was lost. Safe to run often and concurrently (cron, every minute)."
    )

    def handle(self, *args, **options):
        delivered = failed = 0
        for delivery_id, attempts_made in deliveries_due():
            attempt = webhook_attempt(delivery_id=delivery_id, attempts_made=attempts_made)
            if attempt is None:
                continue  # a worker took this attempt meanwhile
            delivered += attempt.ok
            failed += not attempt.ok
        self.stdout.write(f"webhooks delivered: {delivered}, failed attempts: {failed}")
