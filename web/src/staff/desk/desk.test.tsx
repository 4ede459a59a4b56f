import { act, renderHook, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import { config, fakeFetch, json, maria, renderPage } from "../../test/render";
import AgentDesktop from "../AgentDesktop";
import type { AgentView } from "../desk";
import { agentStateLabel, languageLabel, methodLabel, outcomeLabel } from "../labels";
import { RING_PERIOD_MS, useRing } from "./ring";
import { clockText } from "./timers";

const agentSession = { ...maria, name: "Sam Sales", username: "agent.sales", groups: ["agent"] };
// The runtime's clock runs 1000 s behind the wall clock here: timers must count on the runtime's.
const OFFSET = -1000;
const runtimeNow = () => Date.now() / 1000 + OFFSET;

function view(state: string, overrides: Partial<AgentView> = {}, contact: Partial<NonNullable<AgentView["contact"]>> = {}): AgentView {
  return {
    username: "agent.sales",
    name: "Sam Sales",
    state,
    stateSince: runtimeNow() - 7,
    contactId: "c-1",
    last: 3,
    queues: [{ id: "q-1", name: "Sales - New Orders", priority: 1, delay: 0 }],
    contact: {
      contactId: "c-1",
      initialContactId: "c-0",
      initiationMethod: "INBOUND",
      state: "CONNECTED",
      customerNumber: "+12025550100",
      queueId: "q-1",
      queueName: "Sales - New Orders",
      enqueuedAt: 1,
      connectedAt: runtimeNow() - 95,
      onHold: false,
      attributes: {},
      screenPop: { firstName: "Maria", lastName: "Garcia", vip: null, verified: null, issue: null, language: "es-US", customerId: null, phoneNumber: "+12025550100", previousContacts: [] },
      ...contact,
    },
    ...overrides,
  };
}

/** The runtime: the agent view for every /local/agents read, its clock at /health, its index at /. */
function runtime(current: () => AgentView, extra: (url: string, init: RequestInit) => Response | null = () => null) {
  return fakeFetch((url, init) => {
    const answered = extra(url, init);
    if (answered) return answered;
    if (url.includes("/events")) return new Promise<Response>(() => {});
    if (url.endsWith("/local/health")) return json({ ok: true, time: Date.now() / 1000, now: runtimeNow() });
    if (url.endsWith("/local/")) return json({ instanceId: "inst-1", connectApi: "http://stack.test/connect-api" });
    return json(current());
  });
}

class FakeAudio {
  static rings = 0;
  currentTime = 0;
  destination = {};
  resume = async () => {};
  createGain() {
    return { gain: { setValueAtTime() {}, linearRampToValueAtTime() {} }, connect() {} };
  }
  createOscillator() {
    FakeAudio.rings += 0.5; // two tones per ring
    return { frequency: { value: 0 }, connect() {}, start() {}, stop() {} };
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
  FakeAudio.rings = 0;
});

describe("labels people read", () => {
  test("codes become words, in both languages; an unknown code is shown as it is", () => {
    expect(languageLabel("es-US", "en")).toBe("Spanish");
    expect(languageLabel("en-US", "es")).toBe("Inglés");
    expect(methodLabel("API", "en")).toBe("Website");
    expect(methodLabel("INBOUND", "es")).toBe("Llamada entrante");
    expect(outcomeLabel("CUSTOMER_NOT_ANSWERED", "en")).toBe("Customer did not answer");
    expect(agentStateLabel("Missed", "en")).toBe("Missed a contact");
    expect(outcomeLabel("SOMETHING_NEW", "en")).toBe("SOMETHING_NEW");
    expect(outcomeLabel(null, "en")).toBe("—");
  });

  test("timer text", () => {
    expect(clockText(7)).toBe("0:07");
    expect(clockText(95)).toBe("1:35");
    expect(clockText(3725)).toBe("1:02:05");
  });
});

describe("contact timers on the runtime's clock", () => {
  test("an offer shows how long it has been ringing, and the ring is visible", async () => {
    const { fetcher } = runtime(() => view("Incoming", {}, { state: "OFFERED", connectedAt: null }));
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    await waitFor(() => expect(screen.getByTestId("timer-offer")).toHaveTextContent(/^0:0[78]$/));
    expect(screen.getByRole("timer", { name: "Ringing for" })).toBeInTheDocument();
    expect(screen.getByTestId("contact-banner")).toHaveAttribute("data-ringing", "true");
    expect(document.title).toMatch(/Incoming contact/);
  });

  test("on a contact: talk time, and a hold counted from when it began", async () => {
    let held = false;
    const { fetcher } = runtime(() => view("On contact", {}, { onHold: held }), (url, init) => {
      if (init.method === "POST" && url.endsWith("/hold")) held = true;
      return null;
    });
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    await waitFor(() => expect(screen.getByTestId("timer-talk")).toHaveTextContent(/^1:3[56]$/));
    expect(screen.queryByTestId("timer-hold")).toBeNull();
    expect(screen.getByTestId("contact-banner")).toHaveAttribute("data-ringing", "false");
    await userEvent.setup().click(screen.getByRole("button", { name: "Hold" }));
    await waitFor(() => expect(screen.getByRole("timer", { name: "On hold for" })).toHaveTextContent(/^0:0[01]$/));
  });

  test("after-contact work: its own timer, and the talk time stops where it began", async () => {
    const { fetcher } = runtime(() => view("After contact work", { stateSince: runtimeNow() - 20 }, { state: "DISCONNECTED", connectedAt: runtimeNow() - 80 }));
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    await waitFor(() => expect(screen.getByTestId("timer-acw")).toHaveTextContent(/^0:2[01]$/));
    expect(screen.getByTestId("timer-talk")).toHaveTextContent("1:00");
  });
});

describe("the audible ring", () => {
  test("rings every period while ringing and stops when the offer ends; the agent can turn it off", () => {
    vi.useFakeTimers();
    vi.stubGlobal("AudioContext", FakeAudio);
    const { rerender } = renderHook(({ ringing, enabled }) => useRing(ringing, enabled), { initialProps: { ringing: true, enabled: true } });
    expect(FakeAudio.rings).toBe(1);
    act(() => vi.advanceTimersByTime(RING_PERIOD_MS * 2));
    expect(FakeAudio.rings).toBe(3);
    rerender({ ringing: false, enabled: true });
    act(() => vi.advanceTimersByTime(RING_PERIOD_MS * 3));
    expect(FakeAudio.rings).toBe(3);
    rerender({ ringing: true, enabled: false });
    act(() => vi.advanceTimersByTime(RING_PERIOD_MS * 3));
    expect(FakeAudio.rings).toBe(3);
  });

  test("the desk rings for an offer, and the sound switch is remembered", async () => {
    vi.stubGlobal("AudioContext", FakeAudio);
    const { fetcher } = runtime(() => view("Incoming", {}, { state: "OFFERED", connectedAt: null }));
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    await waitFor(() => expect(FakeAudio.rings).toBeGreaterThanOrEqual(1));
    await userEvent.setup().click(screen.getByRole("checkbox", { name: "Ring sound" }));
    expect(localStorage.getItem("ringSound")).toBe("off");
  });
});

describe("after-contact work", () => {
  const acw = () => view("After contact work", {}, { state: "DISCONNECTED" });

  test("a disposition code and notes go on the contact record (UpdateContactAttributes), then the agent is ready", async () => {
    let state = "After contact work";
    const { fetcher, calls } = runtime(() => (state === "Available" ? view("Available", { contact: null, contactId: null }) : acw()), (url, init) => {
      if (url === "http://stack.test/connect-api/contact/attributes") return json({});
      if (init.method === "POST" && url.endsWith("/after-contact-work/complete")) state = "Available";
      return null;
    });
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    const form = await screen.findByTestId("acw-form");
    const user = userEvent.setup();
    await user.selectOptions(within(form).getByLabelText("Outcome (disposition code)"), "Needs a follow-up");
    await user.type(within(form).getByLabelText("Notes for the contact record"), "Send the new router");
    await user.click(within(form).getByRole("button", { name: "Save and finish" }));
    await waitFor(() => expect(screen.getByTestId("agent-state")).toHaveTextContent("Available"));
    const posts = calls.filter((c) => c.init.method === "POST" && !c.url.endsWith("/heartbeat"));
    expect(posts.map((c) => c.url)).toEqual(["http://stack.test/connect-api/contact/attributes", "http://stack.test/local/agents/agent.sales/after-contact-work/complete"]);
    expect(JSON.parse(String(posts[0].init.body))).toEqual({ InstanceId: "inst-1", InitialContactId: "c-0", Attributes: { DispositionCode: "FOLLOW_UP", AgentNotes: "Send the new router" } });
  });

  test("no outcome chosen: it says so and saves nothing", async () => {
    const { fetcher, calls } = runtime(acw);
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    const form = await screen.findByTestId("acw-form");
    await userEvent.setup().click(within(form).getByRole("button", { name: "Save and finish" }));
    expect(within(form).getByText("Choose an outcome before finishing.")).toBeInTheDocument();
    expect(within(form).getByLabelText("Outcome (disposition code)")).toHaveAttribute("aria-invalid", "true");
    expect(calls.filter((c) => c.init.method === "POST" && !c.url.endsWith("/heartbeat"))).toHaveLength(0);
  });

  test("a refused save keeps the notes and the agent in after-contact work", async () => {
    const { fetcher, calls } = runtime(acw, (url) =>
      url.endsWith("/contact/attributes") ? new Response(JSON.stringify({ message: "Contact c-0 does not exist" }), { status: 404, headers: { "x-amzn-ErrorType": "ResourceNotFoundException" } }) : null,
    );
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession, lang: "es" });
    const form = await screen.findByTestId("acw-form");
    const user = userEvent.setup();
    await user.selectOptions(within(form).getByLabelText("Resultado (código de cierre)"), "Resuelto");
    await user.type(within(form).getByLabelText("Notas para el registro del contacto"), "Listo");
    await user.click(within(form).getByRole("button", { name: "Guardar y terminar" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Las notas no se guardaron; sigue en trabajo posterior: Contact c-0 does not exist");
    expect(within(form).getByLabelText("Notas para el registro del contacto")).toHaveValue("Listo");
    expect(calls.some((c) => c.url.endsWith("/after-contact-work/complete"))).toBe(false);
  });
});
