from django.apps import AppConfig

BEAT_SCHEDULE = {
    # The 180-day window slides even without new reviews; sales_count's 30-day window likewise.
    "reviews-recompute-dsr": {"task": "reviews.recompute_all_dsr", "schedule": 900.0},
    "reviews-recompute-sales": {"task": "reviews.recompute_sales", "schedule": 600.0},
}


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from marketplace.celery import declare_beat
        from reviews import receivers

        receivers.connect()
        declare_beat(BEAT_SCHEDULE)
