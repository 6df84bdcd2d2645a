from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from governance.api.models import ApiCall, DeliveryStatus, IdempotencyRecord, WebhookDelivery


class Command(BaseCommand):
    help = (
        "Delete API call log rows and finished webhook deliveries older than API_CALLS_KEPT_DAYS, and "
        "idempotency records older than API_IDEMPOTENCY_KEPT_DAYS (a retry after that creates anew). Cron, daily."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        calls_before = now - timedelta(days=settings.API_CALLS_KEPT_DAYS)
        calls, _ = ApiCall.objects.filter(at__lt=calls_before).delete()
        deliveries, _ = (
            WebhookDelivery.objects.exclude(status=DeliveryStatus.PENDING).filter(created_at__lt=calls_before).delete()
        )
        keys, _ = IdempotencyRecord.objects.filter(
            created_at__lt=now - timedelta(days=settings.API_IDEMPOTENCY_KEPT_DAYS)
        ).delete()
        self.stdout.write(f"deleted: {calls} calls, {deliveries} webhook deliveries, {keys} idempotency keys")
