import pytest


@pytest.fixture(autouse=True)
def close_thread_connections():
    """Consumers run service calls in pool threads; with CONN_MAX_AGE 0 those threads close their connections after
    each call, so the test database can be dropped at the end of the run."""
    from django.db import connections

    settings_dict = connections.settings["default"]
    previous = settings_dict.get("CONN_MAX_AGE", 0)
    settings_dict["CONN_MAX_AGE"] = 0
    yield
    settings_dict["CONN_MAX_AGE"] = previous
