from celery import shared_task


@shared_task(name="customers.recompute_segments")
def recompute_segments(merchant_ids: list[int] | None = None) -> int:
    from customers.services import segments

    return segments.recompute(merchant_ids)


@shared_task(name="customers.flush_footprints")
def flush_footprints() -> int:
    from customers.services import footprints

    return footprints.flush()


@shared_task(name="customers.purge_footprints")
def purge_footprints() -> int:
    from customers.services import footprints

    return footprints.purge()


@shared_task(name="customers.send_campaign")
def send_campaign(campaign_id: int) -> int:
    from customers.services import targeting

    return targeting.send(campaign_id)
