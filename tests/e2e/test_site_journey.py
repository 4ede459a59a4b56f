"""The website end to end in Debian's chromium (Playwright), against the real local stack.

Sign in through the local Cognito Hosted UI → live hours → "Get a call" → the customer's test
phone rings → answer → the web ingress flow queues the call → the customer's page says "in the
queue" → the agent, signed in to the agent desktop, sees the offer with the screen pop → accepts →
the customer's page says "with an agent" → hang up → "ended". The page's status comes from the API
route (GET /api/connect/contact/<id>, the same on AWS), never from the runtime's /local API.
Screenshots of every step go to test-artifacts/site/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from local_connect.cognito import LOCAL_CLIENT_ID
from local_connect.definitions import REPO_ROOT, load_definitions
from tests.e2e.conftest import StackProcess, start_stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("site_is_built")]

ARTIFACTS = REPO_ROOT / "test-artifacts" / "site"
CUSTOMER, PASSWORD, NUMBER = "priya", "Priya-demo-1", "+12025550102"
AGENT = "agent.support"
# Monday 5 January 2026, 15:00 in New York: every department is open in the stack's clock.
MONDAY_AFTERNOON = 1767643200.0


@pytest.fixture(scope="module")
def open_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    """A stack whose clock starts on a Monday afternoon, so the call journey never meets closed hours."""
    stack = start_stack(
        tmp_path_factory.mktemp("site-stack"),
        "--clock-start",
        str(MONDAY_AFTERNOON),
        "--offer-timeout",
        "15",
        "--ring-timeout",
        "20",
    )
    yield stack
    stack.stop()


AXE = REPO_ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page: Page) -> None:
    """axe-core's WCAG 2.1 A/AA rules on the page as it is now: no violations."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}))
            .violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`)"""
    )
    assert violations == [], f"accessibility violations on {page.url}:\n" + "\n".join(violations)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, stack: StackProcess, path: str, username: str, password: str) -> None:
    page.goto(stack.base_url + path)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_url(re.compile(r"/cognito/login\?"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(stack.base_url + path)


def new_page(browser: Browser, zone: str = "America/Chicago") -> Page:
    context = browser.new_context(timezone_id=zone, locale="en-US", viewport={"width": 1100, "height": 900})
    return context.new_page()


def support_open_now(stack: StackProcess) -> dict[str, Any]:
    return dict(
        stack.post("/api/connect/hours", {"hoursOfOperationId": load_definitions().hours["SupportHours"].id})
    )


def test_home_shows_live_hours_in_the_customers_zone(local_stack: StackProcess, browser: Browser) -> None:
    page = new_page(browser, zone="Europe/Madrid")
    page.clock.install()  # the page's timers, so a minute can pass in a moment
    page.goto(local_stack.base_url + "/")
    for department in ("Sales", "Accounts", "Support"):
        region = page.get_by_role("region", name=department)
        expect(region.get_by_test_id(f"badge-{department.lower()}")).to_have_text(
            re.compile(r"^(Open|Closed)$")
        )
        expect(region.get_by_test_id(f"countdown-{department.lower()}")).to_have_text(
            re.compile(r"(Closes|Opens) in \d")
        )
    expect(page.get_by_text("Times are shown in your time zone (Central European")).to_be_visible()
    countdown = page.get_by_test_id("countdown-support")
    before = countdown.inner_text()
    page.clock.run_for(61_000)
    expect(countdown).not_to_have_text(before)  # it ticks without reloading
    page.get_by_role("region", name="Support").locator("summary").click()
    expect(page.get_by_role("table", name="Support: the next seven days").get_by_role("row")).to_have_count(8)
    shot(page, "01-home")
    assert_accessible(page)
    page.get_by_role("button", name="Ver en español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Cuándo podemos hablar?")
    assert page.evaluate("document.documentElement.lang") == "es"
    shot(page, "02-home-es")
    assert_accessible(page)
    page.get_by_role("button", name="Iniciar sesión").click()  # the Hosted UI follows the language
    page.wait_for_url(re.compile(r"/cognito/login\?.*lang=es"))
    expect(page.get_by_label("Contraseña")).to_be_visible()
    page.context.close()


def test_sign_in_request_a_call_and_an_agent_takes_it(open_stack: StackProcess, browser: Browser) -> None:
    local_stack = open_stack
    hours = support_open_now(local_stack)
    customer = new_page(browser)
    sign_in(customer, local_stack, "/call", CUSTOMER, PASSWORD)
    expect(customer.get_by_text("Signed in as Priya Patel")).to_be_visible()
    expect(customer.get_by_label("We will call your verified number")).to_have_value(NUMBER)
    customer.get_by_role("radio", name="Support").check()
    customer.get_by_label("What is it about?").select_option(label="Service outage or technical problem")
    customer.get_by_label("Anything we should know? (optional)").fill("Internet down since this morning")
    shot(customer, "03-get-a-call")
    assert_accessible(customer)
    button = customer.get_by_role("button", name="Call me now")

    if not hours["isOpen"]:
        # Support is closed at this hour (23:00-07:00 New York): the page must say so and not call.
        expect(button).to_be_disabled()
        expect(customer.get_by_test_id("closed-notice")).to_contain_text("Support is closed now. It opens")
        shot(customer, "04-closed")
        pytest.fail(
            f"Support is closed right now (next open {hours['nextOpen']}): the call journey needs open hours"
        )

    agent = new_page(browser)
    sign_in(agent, local_stack, "/agent", AGENT, "Agent-demo-1")
    agent.get_by_role("button", name="Go available").click()
    expect(agent.get_by_test_id("agent-state")).to_have_text("Available")
    shot(agent, "04-agent-available")

    phone = f"/local/phones/{quote(NUMBER)}"
    after = int(local_stack.get(phone)["last"])
    # Every status answer the page reads, and anything it asks the runtime's /local API.
    statuses: list[dict[str, Any]] = []
    local_requests: list[str] = []

    def seen(response: Response) -> None:
        if re.search(r"/api/connect/contact/[^/]+$", response.url) and response.request.method == "GET":
            statuses.append({"status": response.status, **(response.json() if response.ok else {})})

    customer.on("response", seen)
    customer.on("request", lambda r: local_requests.append(r.url) if "/local/" in r.url else None)
    button.dblclick()  # a double click places one call
    expect(customer.get_by_test_id("call-status")).to_be_visible()
    ringing = local_stack.wait_for(phone, "ringing", after=after, timeout=15)
    shot(customer, "05-calling-you")
    local_stack.post(f"{phone}/answer")
    local_stack.wait_for(phone, "queued", after=ringing["seq"], timeout=20)
    # Offered to the agent but not yet accepted: still in the queue, next in line.
    status = customer.get_by_test_id("call-status")
    expect(status).to_contain_text("In the queue for Support - ", timeout=10_000)
    expect(status).to_contain_text("You are number 1 in line.")
    shot(customer, "05b-customer-in-queue")

    pop = agent.get_by_test_id("screen-pop")
    expect(pop).to_be_visible(timeout=15_000)
    expect(pop.get_by_role("heading", level=3)).to_contain_text("Priya Patel")
    expect(pop).to_contain_text("VIP")
    expect(pop).to_contain_text("Verified (website)")
    expect(pop).to_contain_text("Support / Service outage or technical problem")
    expect(pop).to_contain_text("Internet down since this morning")
    shot(agent, "06-agent-offer-screen-pop")
    assert_accessible(agent)
    agent.get_by_role("button", name="Accept").click()
    expect(agent.get_by_test_id("agent-state")).to_have_text("On contact")
    local_stack.wait_for(phone, "connected", after=ringing["seq"], timeout=15)
    expect(customer.get_by_test_id("call-status")).to_contain_text("You are with an agent.", timeout=10_000)
    shot(customer, "07-customer-with-agent")
    assert_accessible(customer)
    shot(agent, "08-agent-on-contact")
    states = [s.get("state") for s in statuses]
    assert {s["status"] for s in statuses} == {200}, statuses
    assert states.index("in-queue") < states.index("with-agent"), states
    assert all(s["contactId"] == statuses[0]["contactId"] for s in statuses)

    calls = [c for c in local_stack.get("/local/contacts")["contacts"] if c["CustomerEndpoint"] == NUMBER]
    assert len([c for c in calls if c["InitiationMethod"] == "API"]) == 1, "the double click placed two calls"
    supervisor = new_page(browser)
    sign_in(supervisor, local_stack, "/supervisor", "supervisor", "Supervisor-demo-1")
    expect(
        supervisor.get_by_test_id("agents").get_by_role("row", name=re.compile(r"agent\.support\)"))
    ).to_contain_text("On contact")
    # The live numbers come from the API (GET /connect/metrics/queues, the same call as on AWS).
    technical = supervisor.get_by_test_id("queues").get_by_role(
        "row", name=re.compile(r"^Support - Technical")
    )
    expect(technical.get_by_role("cell").nth(4)).to_have_text("1")  # agents on contact
    expect(supervisor.get_by_test_id("records")).to_contain_text(NUMBER)
    supervisor.get_by_label("Search by number, contact id, agent or queue").fill(NUMBER)
    expect(supervisor.get_by_test_id("records").get_by_role("row")).to_have_count(2)
    shot(supervisor, "09-supervisor")
    assert_accessible(supervisor)
    supervisor.context.close()

    agent.get_by_role("button", name="End contact").click()
    expect(agent.get_by_test_id("agent-state")).to_have_text("After contact work")
    agent.context.close()
    local_stack.post(f"{phone}/hangup")  # the customer leaves during the survey
    # What happened, in words, and a summary of the call (both from the API's status).
    expect(status).to_contain_text(
        re.compile(r"The call has ended: (our agent|you) hung up\."), timeout=10_000
    )
    expect(customer.get_by_test_id("call-summary")).to_contain_text("Time with an agent")
    assert statuses[-1]["state"] == "ended" and statuses[-1]["disconnectedAt"]
    assert statuses[-1]["disconnectReason"] in ("AGENT_DISCONNECT", "CUSTOMER_DISCONNECT"), statuses[-1]
    shot(customer, "10-customer-call-ended")
    polls = len(statuses)
    customer.wait_for_timeout(4_500)
    assert len(statuses) == polls, "the page stops polling once the call ended"
    assert local_requests == [], f"the customer's page asked the runtime directly: {local_requests}"
    customer.context.close()


def test_a_customer_without_a_verified_number_verifies_it_with_the_code_on_screen(
    local_stack: StackProcess, browser: Browser
) -> None:
    page = new_page(browser)
    sign_in(page, local_stack, "/call", "unverified", "Unverified-demo-1")
    expect(page.get_by_role("button", name="Call me now")).to_be_disabled()
    page.get_by_role("link", name="Verify my number").click()
    page.get_by_role("button", name="Send me a code").click()
    code = page.get_by_test_id("local-code")
    expect(code).to_contain_text("Your code is")
    digits = re.search(r"(\d{6})", code.inner_text())
    assert digits is not None
    shot(page, "10-verify-code-on-screen")
    assert_accessible(page)
    page.get_by_label("Verification code").fill(digits.group(1))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your number is verified.")).to_be_visible()
    page.get_by_role("link", name="Back to Get a call").click()
    expect(page.get_by_label("We will call your verified number")).to_have_value("+12025550103")
    shot(page, "11-verified")
    page.context.close()


def test_sign_out_ends_the_hosted_ui_session_too(local_stack: StackProcess, browser: Browser) -> None:
    page = new_page(browser)
    sign_in(page, local_stack, "/", "john", "John-demo-1")
    stored = page.evaluate(
        "() => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user:'))"
        ".map((k) => JSON.parse(sessionStorage.getItem(k)).refresh_token)[0]"
    )
    assert stored
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(local_stack.base_url + "/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    # The refresh token was revoked, not only forgotten by the browser.
    refreshed = page.request.post(
        f"{local_stack.base_url}/cognito/oauth2/token",
        form={"grant_type": "refresh_token", "client_id": LOCAL_CLIENT_ID, "refresh_token": stored},
    )
    assert refreshed.status == 400 and refreshed.json()["error"] == "invalid_grant"
    # Signing in again shows the form: the provider's session is gone, not only the site's.
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/cognito/login\?"))
    expect(page.get_by_label("Password")).to_be_visible()
    assert_accessible(page)  # the local Hosted UI page too
    page.get_by_role("link", name="Sign up").click()
    assert_accessible(page)
    page.context.close()
