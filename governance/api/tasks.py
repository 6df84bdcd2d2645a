from celery import shared_task


@shared_task(bind=True, name="governance.api.webhook_deliver", acks_late=True, max_retries=None)
def webhook_deliver(self, delivery_id: int, attempts_made: int) -> None:
    """Post one webhook event; on failure Celery runs this again after the backoff (30 s, 1 min,
    2 min, …) until WEBHOOK_MAX_ATTEMPTS. Run in-process (no broker: CELERY_TASK_ALWAYS_EAGER) the
    first attempt is made at once and a failed one is left to ``manage.py deliver_webhooks``: a
    retry there would hold up the request that made the change for the whole backoff."""
    from governance.api.webhooks import webhook_attempt

    attempt = webhook_attempt(delivery_id=delivery_id, attempts_made=attempts_made)
    if attempt is not None and attempt.retry_in is not None and not self.request.is_eager:
        raise self.retry(args=(delivery_id, attempt.delivery.attempts), countdown=attempt.retry_in)
