import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import { config, fakeFetch, json, maria, renderPage } from "../test/render";
import AgentDesktop from "./AgentDesktop";
import type { AgentView } from "./desk";
import { ScreenPop } from "./ScreenPop";

const agentSession = { ...maria, name: "Sam Sales", username: "agent.sales", groups: ["agent"] };

function offered(state: string): AgentView {
  return {
    username: "agent.sales",
    name: "Sam Sales",
    state,
    stateSince: 0,
    contactId: "c-1",
    last: 3,
    queues: [{ id: "q-1", name: "Sales - New Orders", priority: 1, delay: 0 }],
    contact: {
      contactId: "c-1",
      initiationMethod: "API",
      state: "OFFERED",
      customerNumber: "+12025550100",
      queueId: "q-1",
      queueName: "Sales - New Orders",
      enqueuedAt: 1,
      connectedAt: null,
      onHold: false,
      attributes: { department: "sales", issue: "new-order", note: "Router blinking" },
      screenPop: {
        firstName: "Maria",
        lastName: "Garcia",
        vip: "true",
        verified: "true",
        issue: "new-order",
        language: "es-US",
        customerId: "sub-1",
        phoneNumber: "+12025550100",
        previousContacts: [{ contactId: "old-1", initiationMethod: "INBOUND", initiatedAt: 1767225600, queueId: "q-1", agent: "agent.support", disconnectReason: "AGENT_DISCONNECT" }],
      },
    },
  };
}

describe("agent desktop", () => {
  test("an offer pops the customer record; accepting tells the runtime", async () => {
    let state = "Incoming";
    const { fetcher, calls } = fakeFetch((url, init) => {
      if (url.includes("/events")) return new Promise(() => {}); // the long poll just waits
      if (init.method === "POST" && url.endsWith("/accept")) state = "On contact";
      return json(offered(state));
    });
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    const pop = await screen.findByTestId("screen-pop");
    expect(within(pop).getByRole("heading", { level: 3 })).toHaveTextContent("Maria Garcia VIP Verified (website)");
    expect(pop).toHaveTextContent("Sales / A new order");
    // Labels people read: the language and how they reached us in words, not es-US / API.
    expect(pop).toHaveTextContent("LanguageSpanish");
    expect(pop).toHaveTextContent("How they reached usWebsite");
    expect(pop).not.toHaveTextContent("es-US");
    expect(within(pop).getByRole("table")).toHaveTextContent("Phone call");
    expect(within(pop).getByRole("table")).toHaveTextContent("Agent hung up");
    expect(pop).toHaveTextContent("Router blinking");
    expect(within(pop).getByRole("table")).toHaveTextContent("agent.support");
    expect(screen.getByRole("status")).toHaveTextContent("Incoming contact");

    await userEvent.setup().click(screen.getByRole("button", { name: "Accept" }));
    await waitFor(() => expect(screen.getByTestId("agent-state")).toHaveTextContent("On contact"));
    expect(calls.some((c) => c.init.method === "POST" && c.url === "http://stack.test/local/agents/agent.sales/contacts/c-1/accept")).toBe(true);
    expect(screen.getByRole("button", { name: "End contact" })).toBeInTheDocument();
  });

  test("customers are not agents", () => {
    renderPage(<AgentDesktop config={config} fetcher={fakeFetch(() => json({})).fetcher} />, { session: maria });
    expect(screen.getByText(/This page is for agents/)).toBeInTheDocument();
  });

  test("an agent the runtime does not know gets a clear message", async () => {
    const { fetcher } = fakeFetch(() => json({ error: "AgentNotFound", detail: "no agent agent.sales" }, 404));
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    expect(await screen.findByRole("alert")).toHaveTextContent("The contact center has no agent agent.sales: no agent agent.sales");
  });
});

const queueList = {
  queues: [
    { id: "q-1", name: "Sales - New Orders", CONTACTS_IN_QUEUE: 0, OLDEST_CONTACT_AGE: 0, AGENTS_ONLINE: 1, AGENTS_AVAILABLE: 0, AGENTS_ON_CONTACT: 1, AGENTS_AFTER_CONTACT_WORK: 0, ESTIMATED_WAIT_TIME: 0 },
    { id: "q-2", name: "Sales - Upgrades", CONTACTS_IN_QUEUE: 0, OLDEST_CONTACT_AGE: 0, AGENTS_ONLINE: 1, AGENTS_AVAILABLE: 0, AGENTS_ON_CONTACT: 1, AGENTS_AFTER_CONTACT_WORK: 0, ESTIMATED_WAIT_TIME: 0 },
    { id: "q-5", name: "Support - Technical", CONTACTS_IN_QUEUE: 1, OLDEST_CONTACT_AGE: 4, AGENTS_ONLINE: 2, AGENTS_AVAILABLE: 1, AGENTS_ON_CONTACT: 0, AGENTS_AFTER_CONTACT_WORK: 0, ESTIMATED_WAIT_TIME: 0 },
  ],
  at: 0,
};

describe("agent desktop: transfer to another queue", () => {
  test("the picker offers the other queues; Transfer sends the chosen queue and the agent goes to after-contact work", async () => {
    let state = "On contact";
    const { fetcher, calls } = fakeFetch((url, init) => {
      if (url.includes("/events")) return new Promise(() => {});
      if (url.endsWith("/local/queues")) return json(queueList);
      if (init.method === "POST" && url.endsWith("/transfer")) state = "After contact work";
      return json(offered(state));
    });
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    const picker = await screen.findByLabelText("Transfer to another queue");
    await waitFor(() => expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual(["Choose a queue", "Sales - Upgrades", "Support - Technical"]));
    const transfer = screen.getByRole("button", { name: "Transfer" });
    expect(transfer).toBeDisabled(); // nothing chosen yet

    const user = userEvent.setup();
    await user.selectOptions(picker, "Support - Technical");
    await user.click(transfer);
    await waitFor(() => expect(screen.getByTestId("agent-state")).toHaveTextContent("After contact work"));
    const sent = calls.filter((c) => c.init.method === "POST" && !c.url.endsWith("/heartbeat"));
    expect(sent.map((c) => [c.url, c.init.body])).toEqual([["http://stack.test/local/agents/agent.sales/contacts/c-1/transfer", JSON.stringify({ queueId: "q-5" })]]);
    expect(screen.getByRole("status")).toHaveTextContent("After contact workTransferred to Support - Technical.");
    expect(screen.queryByLabelText("Transfer to another queue")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save and finish" })).toBeInTheDocument();
  });

  test("a refused transfer says why, by keyboard too, and the agent stays on the contact", async () => {
    const { fetcher, calls } = fakeFetch((url, init) => {
      if (url.includes("/events")) return new Promise(() => {});
      if (url.endsWith("/local/queues")) return json(queueList);
      if (init.method === "POST") return json({ error: "InvalidTransition", detail: "contact c-1 is DISCONNECTED, not CONNECTED" }, 409);
      return json(offered("On contact"));
    });
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    const picker = await screen.findByLabelText("Transfer to another queue");
    await waitFor(() => expect(within(picker).getAllByRole("option")).toHaveLength(3));
    const user = userEvent.setup();
    await user.selectOptions(picker, "Sales - Upgrades");
    picker.focus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Transfer" })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("The transfer to Sales - Upgrades did not go through: contact c-1 is DISCONNECTED, not CONNECTED");
    expect(calls.filter((c) => c.init.method === "POST" && !c.url.endsWith("/heartbeat")).map((c) => c.init.body)).toEqual([JSON.stringify({ queueId: "q-2" })]);
    expect(screen.getByTestId("agent-state")).toHaveTextContent("On contact");
    expect(screen.getByLabelText("Transfer to another queue")).toBeInTheDocument();
  });

  test("the queue list failing to load is shown, in Spanish as well", async () => {
    const { fetcher } = fakeFetch((url) => {
      if (url.includes("/events")) return new Promise(() => {});
      if (url.endsWith("/local/queues")) return json({ error: "InternalError", detail: "store locked" }, 500);
      return json(offered("On contact"));
    });
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession, lang: "es" });
    expect(await screen.findByRole("alert")).toHaveTextContent("No se pudo cargar la lista de colas: store locked");
    expect(screen.queryByRole("button", { name: "Transferir" })).not.toBeInTheDocument();
  });
});

describe("AWS: the CCP's contact becomes the same screen pop", () => {
  test("attributes from the flows and the API", async () => {
    const { deskContactFromStreams } = await import("./ccp");
    const attrs: Record<string, { name: string; value: string }> = {};
    for (const [k, v] of Object.entries({ CustomerName: "Maria Garcia", VIP: "true", Verified: "true", department: "sales", issue: "upgrade", LanguageCode: "es-US" })) attrs[k] = { name: k, value: v };
    const contact = deskContactFromStreams({
      getContactId: () => "aws-contact-1",
      getAttributes: () => attrs,
      getQueue: () => ({ name: "Sales - Upgrades", queueARN: "arn:aws:connect:us-east-1:1:instance/i/queue/q" }),
      getInitialConnection: () => ({ getEndpoint: () => ({ phoneNumber: "+12025550100" }) }),
      getInitiationMethod: () => "API",
      getState: () => ({ type: "connecting" }),
    });
    expect(contact.screenPop).toMatchObject({ vip: "true", verified: "true", issue: "upgrade", language: "es-US", phoneNumber: "+12025550100", firstName: null });
    renderPage(<ScreenPopProbe contact={contact} />);
    const pop = screen.getByTestId("screen-pop");
    expect(within(pop).getByRole("heading", { level: 3 })).toHaveTextContent("Maria Garcia VIP Verified (website)");
    expect(pop).toHaveTextContent("Sales / Upgrade");
    expect(pop).toHaveTextContent("Sales - Upgrades");
  });
});

function ScreenPopProbe({ contact }: { contact: import("./desk").DeskContact }) {
  return <ScreenPop contact={contact} config={config} />;
}

describe("agent desktop: presence", () => {
  test("the desk sends heartbeats, signs out when the page goes away and shows why it went Offline", async () => {
    const idle = { ...offered("Offline"), contactId: null, contact: null, stateReason: "desk_lost", stateDetail: "Set to Offline: your desk stopped answering for 30 s. Choose Available to take calls again." };
    const { fetcher, calls } = fakeFetch((url) => {
      if (url.includes("/events")) return new Promise(() => {});
      if (url.endsWith("/heartbeat")) return json({ state: "Offline" });
      return json(idle);
    });
    const beacons: string[] = [];
    const original = navigator.sendBeacon;
    navigator.sendBeacon = (url: string | URL) => {
      beacons.push(String(url));
      return true;
    };
    try {
      renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
      expect(await screen.findByTestId("agent-state-detail")).toHaveTextContent("stopped answering for 30 s. Choose Available");
      await waitFor(() => expect(calls.some((c) => c.init.method === "POST" && c.url === "http://stack.test/local/agents/agent.sales/heartbeat")).toBe(true));
      window.dispatchEvent(new Event("pagehide"));
      expect(beacons).toEqual(["http://stack.test/local/agents/agent.sales/sign-out"]);
    } finally {
      navigator.sendBeacon = original;
    }
  });
});

describe("screen pop: how the caller was verified", () => {
  const base = offered("On contact").contact!;
  const cases: [string, Record<string, string>, string][] = [
    ["a PIN in the IVR", { PinVerified: "true", PinLocked: "false" }, "Verified (PIN)"],
    ["a code by text message in the IVR", { PinVerified: "false", CodeVerified: "true" }, "Verified (code)"],
    ["the website", { Verified: "true" }, "Verified (website)"],
    ["nothing", { PinVerified: "false", CodeVerified: "false" }, "Not verified"],
  ];
  test.each(cases)("%s", (_, attributes, label) => {
    const contact = { ...base, attributes, screenPop: { ...base.screenPop, verified: null, verifiedBy: undefined } };
    renderPage(<ScreenPop contact={contact} config={config} />);
    expect(screen.getByTestId("verified")).toHaveTextContent(label);
  });
});

describe("agent desktop: outbound calls", () => {
  test("the agent dials a number, and calls the customer on screen back from after-contact work", async () => {
    let view: AgentView = { ...offered("Available"), contactId: null, contact: null };
    const { fetcher, calls } = fakeFetch((url, init) => {
      if (url.includes("/events")) return new Promise(() => {});
      if (url.endsWith("/heartbeat")) return json({ state: view.state });
      if (init.method === "POST" && url.endsWith("/dial")) {
        const base = offered("On contact");
        view = { ...base, contact: { ...base.contact!, initiationMethod: "OUTBOUND", state: "DIALING" } };
      }
      return json(view);
    });
    renderPage(<AgentDesktop config={config} fetcher={fetcher} />, { session: agentSession });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Call a number"), "+12025550101");
    await user.click(screen.getByRole("button", { name: "Call" }));
    await waitFor(() => expect(screen.getByTestId("agent-state")).toHaveTextContent("On contact"));
    const dialled = calls.filter((c) => c.url.endsWith("/dial")).map((c) => c.init.body);
    expect(dialled).toEqual([JSON.stringify({ number: "+12025550101" })]);
    expect(screen.getByTestId("screen-pop")).toHaveTextContent("Outbound call");
    expect(screen.queryByLabelText("Call a number")).not.toBeInTheDocument(); // busy on a contact

    view = offered("After contact work");
    await user.click(screen.getByRole("button", { name: "End contact" }));
    await user.click(await screen.findByRole("button", { name: "Call back +12025550100" }));
    expect(calls.filter((c) => c.url.endsWith("/dial")).map((c) => c.init.body)[1]).toBe(JSON.stringify({ number: "+12025550100" }));
  });
});
