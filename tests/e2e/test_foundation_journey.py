import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_visitor_switches_language_and_logs_in(page, live_url):
    page.goto("/")
    assert page.locator("select[name=language]").is_visible()
    with page.expect_navigation():  # the switcher submits itself on change
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_text("登录").first.is_visible()

    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    log_in(page, "alice")
    assert page.get_by_test_id("current-user").is_visible()


def test_health_and_api_docs_are_served(page, live_url):
    response = page.goto("/healthz")
    assert response.status == 200
    assert '"status": "ok"' in page.content()
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui", timeout=20_000)
