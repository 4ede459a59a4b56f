import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { ApiError } from "../api";
import { useNow } from "../clock";
import { translate } from "../i18n";
import { config, fakeFetch, json, ManualClock, maria, renderPage, salesHours, supportHours } from "../test/render";
import { errorMessage, GetCall } from "./GetCall";

const THURSDAY_NOON = Date.parse("2026-01-15T17:00:00Z"); // 12:00 in New York: Sales open
const SUNDAY_NOON = Date.parse("2026-01-18T17:00:00Z"); // Sales closed, Support open
const hours = { sales: { hours: salesHours(), error: null }, support: { hours: supportHours(), error: null } };

function LiveGetCall({ fetcher }: { fetcher: typeof fetch }) {
  const now = useNow();
  return <GetCall config={config} hours={hours} now={now} zone="America/Chicago" fetcher={fetcher} />;
}

function page(now: number, fetcher: typeof fetch, session = maria, lang: "en" | "es" = "en") {
  return renderPage(<GetCall config={config} hours={hours} now={now} zone="America/Chicago" fetcher={fetcher} />, {
    session,
    lang,
    clock: new ManualClock(now),
  });
}

async function fillIn(issue = "A new order") {
  const user = userEvent.setup();
  await user.selectOptions(screen.getByLabelText("What is it about?"), issue);
  await user.type(screen.getByLabelText(/Anything we should know/), "Router blinking");
  await user.click(screen.getByLabelText("Español"));
  return user;
}

describe("Get a call", () => {
  test("a double click places one call, with the ID token and an Idempotency-Key", async () => {
    let release: (r: Response) => void = () => {};
    const { fetcher, calls } = fakeFetch(() => new Promise<Response>((resolve) => (release = resolve)));
    page(THURSDAY_NOON, fetcher);
    const user = await fillIn();
    const button = screen.getByRole("button", { name: "Call me now" });
    await user.dblClick(button);
    await user.click(button);
    release(json({ contactId: "contact-1" }, 202));
    expect(await screen.findByText(/Reference: contact-1/)).toBeInTheDocument();
    // One placed call (the status polls that follow are GETs).
    const posts = calls.filter((c) => c.init.method === "POST");
    expect(posts).toHaveLength(1);
    const { url, init } = posts[0];
    const headers = init.headers as Record<string, string>;
    expect(url).toBe("http://stack.test/api/connect/contact");
    expect(headers.Authorization).toBe("Bearer id-token-maria");
    expect(headers["Idempotency-Key"]).toMatch(/^[\x21-\x7e]{8,128}$/);
    expect(JSON.parse(String(init.body))).toEqual({
      destinationPhoneNumber: "+12025550100",
      contactFlowId: "flow-web",
      attributes: { department: "sales", issue: "new-order", language: "es-US", note: "Router blinking" },
    });
  });

  test("a retry of the same request reuses its key; a changed request gets a new one", async () => {
    const { fetcher, calls } = fakeFetch(() => json({ type: "https://x/problems/connect-unreachable", title: "Down", status: 503 }, 503, { "Retry-After": "0" }));
    page(THURSDAY_NOON, fetcher);
    const user = await fillIn();
    await user.click(screen.getByRole("button", { name: "Call me now" }));
    await screen.findByTestId("call-error");
    await user.click(screen.getByRole("button", { name: "Call me now" }));
    await waitFor(() => expect(calls).toHaveLength(2));
    await user.selectOptions(screen.getByLabelText("What is it about?"), "Upgrade");
    await user.click(screen.getByRole("button", { name: "Call me now" }));
    await waitFor(() => expect(calls).toHaveLength(3));
    const keys = calls.map((c) => (c.init.headers as Record<string, string>)["Idempotency-Key"]);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  test("rate limited: the message says when to try again and the button waits", async () => {
    const { fetcher } = fakeFetch(() =>
      json({ type: "https://jam/problems/rate-limited", title: "Too many call requests", status: 429, retryAfter: 120 }, 429, { "Retry-After": "120" }),
    );
    page(THURSDAY_NOON, fetcher);
    const user = await fillIn();
    await user.click(screen.getByRole("button", { name: "Call me now" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("You have asked for several calls recently. You can ask again in 2 min 00 s.");
    expect(screen.getByRole("button", { name: "Call me now" })).toBeDisabled();
  });

  test("when the wait is over, the button comes back and the message says so", async () => {
    const clock = new ManualClock(THURSDAY_NOON);
    const { fetcher } = fakeFetch(() => json({ type: "https://jam/problems/connect-throttled", title: "Busy", status: 429 }, 429, { "Retry-After": "2" }));
    renderPage(<LiveGetCall fetcher={fetcher} />, { session: maria, clock });
    const user = await fillIn();
    await user.click(screen.getByRole("button", { name: "Call me now" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Trying is possible again in 0 min 02 s.");
    clock.time += 3000; // the page's clock ticks on its own
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("You can try again now."), { timeout: 2500 });
    expect(screen.getByRole("button", { name: "Call me now" })).toBeEnabled();
  });

  test("closed department: the button is disabled and the next opening is offered", () => {
    const { fetcher, calls } = fakeFetch(() => json({}));
    page(SUNDAY_NOON, fetcher);
    expect(screen.getByTestId("closed-notice")).toHaveTextContent("Sales is closed now. It opens Monday 7:00 AM (in 20 h 0 min).");
    expect(screen.getByRole("button", { name: "Call me now" })).toBeDisabled();
    expect(calls).toHaveLength(0);
  });

  test("closed department: 'call me when you open' asks the API for a call at the opening", async () => {
    const { fetcher, calls } = fakeFetch((url, init) =>
      init?.method === "POST"
        ? json({ contactId: "req-1", state: "scheduled", estimatedCallAt: "2026-01-19T13:00:00+00:00" }, 202)
        : json({
            contactId: "req-1",
            state: "scheduled",
            queueName: null,
            initiatedAt: null,
            enqueuedAt: null,
            connectedToAgentAt: null,
            disconnectedAt: null,
            positionInQueue: null,
            estimatedWaitSeconds: null,
            estimatedCallAt: "2026-01-19T13:00:00+00:00",
            asOf: "2026-01-18T17:00:00+00:00",
          }),
    );
    page(SUNDAY_NOON, fetcher);
    const user = await fillIn();
    expect(screen.getByRole("button", { name: "Call me now" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Call me when you open" }));
    const posts = calls.filter((c) => c.init.method === "POST");
    expect(posts).toHaveLength(1);
    expect(JSON.parse(String(posts[0].init.body))).toMatchObject({ callWhenOpen: true, attributes: { department: "sales" } });
    expect(await screen.findByTestId("call-at")).toHaveTextContent(/We expect to call you/);
  });

  test("a customer without a verified number is led to verify it", () => {
    const { fetcher } = fakeFetch(() => json({}));
    page(THURSDAY_NOON, fetcher, { ...maria, phoneNumber: "+12025550103", phoneVerified: false });
    expect(screen.getByRole("link", { name: "Verify my number" })).toHaveAttribute("href", "/verify");
    expect(screen.getByLabelText("We will call your verified number")).toHaveValue("");
    expect(screen.getByRole("button", { name: "Call me now" })).toBeDisabled();
  });

  test("signed out: asks to sign in and comes back here", async () => {
    const signIn = vi.fn();
    const { fetcher } = fakeFetch(() => json({}));
    page(THURSDAY_NOON, fetcher, { ...maria, signedIn: false, signIn });
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign in" }));
    expect(signIn).toHaveBeenCalledWith("/call");
  });

  test("a department chosen on the hours page survives the trip to sign in", async () => {
    window.history.replaceState(null, "", "/call?department=support");
    try {
      const signIn = vi.fn();
      const { fetcher } = fakeFetch(() => json({}));
      const view = page(SUNDAY_NOON, fetcher, { ...maria, signedIn: false, signIn });
      await userEvent.setup().click(screen.getByRole("button", { name: "Sign in" }));
      expect(signIn).toHaveBeenCalledWith("/call?department=support");
      // Back from sign-in at that address: the preset is chosen.
      view.unmount();
      page(SUNDAY_NOON, fetcher);
      expect(screen.getByRole("radio", { name: "Support" })).toBeChecked();
    } finally {
      window.history.replaceState(null, "", "/");
    }
  });

  test("while the session is still loading, no sign-in button to press twice", () => {
    const { fetcher } = fakeFetch(() => json({}));
    page(THURSDAY_NOON, fetcher, { ...maria, signedIn: false, loading: true });
    expect(screen.getByText("Loading…")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Sign in" })).toBeNull();
  });

  test("in Spanish", () => {
    const { fetcher } = fakeFetch(() => json({}));
    page(THURSDAY_NOON, fetcher, maria, "es");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Recibir una llamada");
    expect(screen.getByRole("group", { name: "Departamento" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Un pedido nuevo" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Llámenme ahora" })).toBeDisabled();
  });
});

describe("API errors read as sentences", () => {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("en", key, vars);
  const problem = (slug: string, status: number, extra: object = {}) => new ApiError({ type: `https://jam/problems/${slug}`, title: "T", status, detail: "D", ...extra }, null);

  test.each([
    ["connect-throttled", 429, 2, "The contact center is busy. Trying is possible again in 0 min 02 s."],
    ["too-many-calls", 503, 30, "The contact center is at capacity. Please try again in 0 min 30 s."],
    ["not-your-number", 403, null, "We can only call the verified number on your account."],
    ["invalid-field", 422, null, "A field was not accepted: D"],
    ["invalid-request", 400, null, "The request was not accepted: D"],
    ["body-too-large", 413, null, "The request is too long. Shorten the note and try again."],
    ["auth-not-configured", 503, null, "Sign-in is not available on our side right now. Please try again later."],
    ["internal-error", 500, null, "Something went wrong on our side. Please try again in a moment."],
    ["something-new", 418, null, "Something went wrong (418): D"],
  ])("%s", (slug, status, retry, expected) => {
    expect(errorMessage(problem(slug, status), t, retry)).toBe(expected);
  });

  test("any 401 asks to sign in again", () => {
    expect(errorMessage(problem("unauthorized", 401), t, null)).toBe("Your session has expired. Please sign in again.");
  });

  test("a network failure", () => {
    expect(errorMessage(new ApiError({ type: "network", title: "x", status: 0 }, null), t, null)).toMatch(/could not reach/);
  });
});

test("the whole form works from the keyboard alone", async () => {
  const { fetcher, calls } = fakeFetch(() => json({ contactId: "contact-kb" }, 202));
  page(THURSDAY_NOON, fetcher);
  const user = userEvent.setup();
  await user.tab(); // the first department radio
  expect(screen.getByRole("radio", { name: "Sales" })).toHaveFocus();
  await user.keyboard("{ArrowRight}"); // radios move with arrow keys: Support
  expect(screen.getByRole("radio", { name: "Support" })).toBeChecked();
  await user.tab();
  expect(screen.getByLabelText("What is it about?")).toHaveFocus();
  await user.selectOptions(screen.getByLabelText("What is it about?"), "Technical problem");
  await user.tab(); // note
  await user.keyboard("No signal");
  await user.tab(); // call language
  await user.tab(); // read-only number
  expect(screen.getByLabelText("We will call your verified number")).toHaveFocus();
  await user.tab();
  expect(screen.getByRole("button", { name: "Call me now" })).toHaveFocus();
  await user.keyboard("{Enter}");
  expect(await screen.findByText(/Reference: contact-kb/)).toBeInTheDocument();
  expect(JSON.parse(String(calls[0].init.body)).attributes).toEqual({ department: "support", issue: "technical", language: "en-US", note: "No signal" });
});

describe("after Call me now", () => {
  const placed = { contactId: "c-42" };
  const statusOf = (state: string, extra: Record<string, unknown> = {}) => ({
    contactId: "c-42",
    state,
    queueName: "Sales - New Orders",
    initiatedAt: "2026-01-15T17:00:00+00:00",
    enqueuedAt: state === "requested" ? null : "2026-01-15T17:00:30+00:00",
    connectedToAgentAt: null,
    disconnectedAt: null,
    disconnectReason: null,
    positionInQueue: null,
    estimatedWaitSeconds: null,
    asOf: "2026-01-15T17:01:00+00:00",
    ...extra,
  });

  test("focus moves to the status, and another call is offered only once this one is over", async () => {
    let answer = statusOf("in-queue");
    const { fetcher } = fakeFetch((url, init) => (init.method === "POST" ? json(placed, 201) : json(answer)));
    page(THURSDAY_NOON, fetcher);
    const user = await fillIn();
    await user.click(screen.getByRole("button", { name: "Call me now" }));
    const status = await screen.findByTestId("call-status");
    expect(status).toHaveFocus();
    await waitFor(() => expect(status).toHaveAttribute("data-state", "in-queue"));
    expect(screen.queryByRole("button", { name: "Ask for another call" })).toBeNull();
    answer = statusOf("ended", { connectedToAgentAt: "2026-01-15T17:02:00+00:00", disconnectedAt: "2026-01-15T17:07:00+00:00", disconnectReason: "AGENT_DISCONNECT" });
    await waitFor(() => expect(status).toHaveAttribute("data-state", "ended"), { timeout: 5000 });
    expect(status).toHaveTextContent("The call has ended: our agent hung up.");
    expect(screen.getByTestId("call-summary")).toHaveTextContent("Time with an agent5 min");
    expect(screen.getByRole("button", { name: "Ask for another call" })).toBeInTheDocument();
  });
});

