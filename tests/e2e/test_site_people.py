"""What customers notice on the website, in Debian's chromium against the real local stack.

Keyboard focus is visible on every control (Bulma drops the outline; WCAG 2.4.7), the navigation
folds into a menu on a phone with the language switch still in sight, each page has its own title,
the language the visitor chose outlives the profile's default, a department preset survives the
trip to sign in, and a call's status says what happened (here: the customer declined the ring)
with a summary, offering another call only once it is over. axe checks every screen; screenshots
go to test-artifacts/site/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack
from tests.e2e.test_site_journey import assert_accessible, new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("site_is_built")]

MARIA, MARIA_PASSWORD, MARIA_NUMBER = "maria", "Maria-demo-1", "+12025550100"  # profile locale: es
JOHN, JOHN_PASSWORD, JOHN_NUMBER = "john", "John-demo-1", "+12025550101"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    """This module's own stack (Monday afternoon in New York: every department open)."""
    started = start_stack(tmp_path_factory.mktemp("people-stack"), *DETERMINISTIC_ARGS)
    yield started
    started.stop()


def focus_ring(control: Locator) -> dict[str, str]:
    """The focused control's ring once Bulma's box-shadow transition has run (about 0.3 s)."""
    control.page.wait_for_timeout(500)
    return dict(
        control.evaluate(
            """el => { const s = getComputedStyle(el);
                return {style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor, shadow: s.boxShadow}; }"""
        )
    )


def tab_to(page: Page, control: Locator, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if control.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {control}")


def test_keyboard_focus_is_visible_on_every_kind_of_control(stack: StackProcess, browser: Browser) -> None:
    page = new_page(browser)
    sign_in(page, stack, "/call", JOHN, JOHN_PASSWORD)
    controls = {
        "language button": page.get_by_role("button", name="Ver en español"),
        "nav link": page.get_by_role("link", name="Opening hours"),
        "radio": page.get_by_role("radio", name="Sales"),
        "select": page.get_by_label("What is it about?"),
        "textarea": page.get_by_label("Anything we should know? (optional)"),
        "sign-out button": page.get_by_role("button", name="Sign out"),
    }
    page.locator("body").click(position={"x": 5, "y": 400})
    for name, control in controls.items():
        tab_to(page, control)
        ring = focus_ring(control)
        assert ring["style"] == "solid" and ring["width"] == "3px", (name, ring)
        assert "rgb(26, 26, 26)" in ring["shadow"], (name, ring)  # the dark outer ring, for light backgrounds
        if name == "select":
            shot(page, "people-01-focus-ring")
    page.context.close()


def test_on_a_phone_the_menu_folds_and_the_language_switch_stays(
    stack: StackProcess, browser: Browser
) -> None:
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(stack.base_url + "/")
    burger = page.get_by_role("button", name="Menu")
    expect(burger).to_be_visible()
    expect(burger).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation").get_by_role("link", name="Get a call")).to_be_hidden()
    expect(page.get_by_role("button", name="Ver en español")).to_be_visible()
    shot(page, "people-02-phone-menu-closed")
    assert_accessible(page)
    burger.click()
    expect(burger).to_have_attribute("aria-expanded", "true")
    menu_link = page.get_by_role("navigation").get_by_role("link", name="Get a call")
    expect(menu_link).to_be_visible()
    shot(page, "people-03-phone-menu-open")
    assert_accessible(page)
    menu_link.click()
    expect(page).to_have_title("Get a call · JAM Contact Center")
    expect(burger).to_have_attribute("aria-expanded", "false")
    context.close()


def test_each_page_has_its_own_title(stack: StackProcess, browser: Browser) -> None:
    page = new_page(browser)
    for path, title in (
        ("/", "Opening hours"),
        ("/call", "Get a call"),
        ("/verify", "Verify your phone number"),
        ("/nowhere", "Page not found"),
    ):
        page.goto(stack.base_url + path)
        expect(page).to_have_title(f"{title} · JAM Contact Center")
    page.get_by_role("button", name="Ver en español").click()
    expect(page).to_have_title("Página no encontrada · Centro de Contacto JAM")
    page.context.close()


def test_the_visitors_language_outlives_the_profiles_default(stack: StackProcess, browser: Browser) -> None:
    # Maria's profile says Spanish: with no choice made on the site, that is the first default.
    page = new_page(browser)
    sign_in(page, stack, "/", MARIA, MARIA_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Cuándo podemos hablar?")
    page.get_by_role("button", name="View in English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("When can we talk?")
    # Her choice is kept: a reload (the profile still says Spanish) stays in English.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("When can we talk?")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.context.close()


def test_a_department_preset_survives_sign_in(stack: StackProcess, browser: Browser) -> None:
    page = new_page(browser)
    page.goto(stack.base_url + "/")
    page.get_by_role("region", name="Support").get_by_role("link", name="Get a call").click()
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_url(re.compile(r"/cognito/login\?"))
    page.get_by_label("Username").fill(JOHN)
    page.get_by_label("Password").fill(JOHN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(stack.base_url + "/call?department=support")
    expect(page.get_by_role("radio", name="Support")).to_be_checked()
    page.context.close()


def test_a_declined_call_says_so_with_a_summary_and_only_then_offers_another(
    stack: StackProcess, browser: Browser
) -> None:
    page = new_page(browser)
    sign_in(page, stack, "/call", JOHN, JOHN_PASSWORD)
    page.get_by_role("radio", name="Accounts").check()
    page.get_by_label("What is it about?").select_option(label="Bills, payments and refunds")
    phone = f"/local/phones/{quote(JOHN_NUMBER)}"
    after = int(stack.get(phone)["last"])
    page.get_by_role("button", name="Call me now").click()
    status = page.get_by_test_id("call-status")
    expect(status).to_be_focused()  # focus follows the request to its status
    stack.wait_for(phone, "ringing", after=after, timeout=15)
    expect(status).to_contain_text("Calling you now", timeout=10_000)
    expect(page.get_by_role("button", name="Ask for another call")).to_have_count(0)
    shot(page, "people-04-call-ringing")
    assert_accessible(page)
    stack.post(f"{phone}/hangup")  # declined while ringing: the runtime records CUSTOMER_NOT_ANSWERED
    expect(status).to_contain_text("We called but nobody answered.", timeout=10_000)
    expect(status).to_have_attribute("data-outcome", "no-answer")
    summary = page.get_by_test_id("call-summary")
    expect(summary).to_contain_text("Requested at")
    expect(summary).to_contain_text("Ended at")
    expect(page.get_by_role("button", name="Ask for another call")).to_be_visible()
    shot(page, "people-05-call-not-answered")
    assert_accessible(page)
    page.context.close()
