"""A server process's warm-up (marketplace.warmup): what the first requests would load is loaded, and the heap it
leaves is frozen out of the collector's generations (full collections were the live room's latency tail)."""

import gc

from marketplace import warmup


def test_warm_up_loads_the_lazy_parts_and_freezes_what_it_loaded():
    gc.unfreeze()
    try:
        seconds = warmup.warm()
        assert seconds > 0
        assert gc.get_freeze_count() > 10_000  # Django, the apps, the URL tables, the tokenizer's dictionary
    finally:
        gc.unfreeze()  # the test process goes on creating and dropping objects as before
