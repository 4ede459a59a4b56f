import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, test } from "vitest";
import { config, fakeFetch, json, maria, renderPage } from "../test/render";
import type { ContactRecord } from "./desk";
import Supervisor from "./Supervisor";
import { type ContactSearch, fetchQueueMetrics, fetchSurveySummary, type GroupStats, type QueueMetrics, searchContacts, type SurveySummary } from "./supervisorApi";

const supervisor = { ...maria, username: "supervisor", groups: ["supervisor"], idToken: "id-token-supervisor" };
const awsConfig = { ...config, mode: "aws" as const, localRuntime: undefined };

const METRICS: QueueMetrics = {
  queues: [
    { queueId: "q-1", name: "Sales - New Orders", contactsInQueue: 2, oldestContactAgeSeconds: 75, agentsOnline: 3, agentsAvailable: 0, agentsOnContact: 1, agentsAfterContactWork: 1 },
    { queueId: "q-2", name: "Support - Technical", contactsInQueue: 0, oldestContactAgeSeconds: 0, agentsOnline: 1, agentsAvailable: 1, agentsOnContact: 0, agentsAfterContactWork: 0 },
  ],
  dataSnapshotTime: "2026-11-24T20:00:00+00:00",
};

const stats = (count: number, q1: number | null, q2: number | null, q3: number | null): GroupStats => ({
  count,
  questions: {
    Q1: { valid: count, invalid: 0, missing: 0, average: q1 },
    Q2: { valid: count, invalid: 0, missing: 0, average: q2 },
    Q3: { valid: count, invalid: 0, missing: 0, average: q3 },
  },
});

const SUMMARY: SurveySummary = {
  ...stats(2, 4, 4.5, 3),
  queues: { "Sales - New Orders": stats(2, 4, 4.5, 3) },
  agents: { "agent.sales": stats(1, 5, 5, 4), "agent.support": stats(1, 3, 4, 2) },
  recent: [
    { ContactId: "aaaa1111", RecordedAt: "2026-11-24T19:00:00.000Z", QueueName: "Sales - New Orders", AgentUserName: "agent.sales", Q1: "5", Q2: "5", Q3: "4" },
    { ContactId: "bbbb2222", RecordedAt: "2026-11-24T18:00:00.000Z", QueueName: "Sales - New Orders", AgentUserName: "agent.support", Q1: "3", Q2: "4", Q3: "x" },
  ],
  limit: 1000,
  complete: true,
};

const record = (id: string, queue: string, agent: string, number = "+12025550101", note?: string): ContactRecord => ({
  ContactId: id,
  InitiationMethod: "API",
  State: "DISCONNECTED",
  CustomerEndpoint: number,
  QueueId: queue,
  Agent: agent,
  InitiationTimestamp: 100,
  DisconnectReason: "CUSTOMER_DISCONNECT",
  Attributes: note ? { note } : {},
  SurveyAnswers: {},
});

const FOUND: ContactSearch = {
  contacts: [
    { contactId: "dddd4444-aws", initialContactId: "dddd4444-aws", previousContactId: null, initiationMethod: "INBOUND", channel: "VOICE", queueId: "q-2", queueName: "Support - Technical", agentId: "agent-id-7", initiatedAt: "2026-11-24T19:50:00+00:00", enqueuedAt: "2026-11-24T19:51:00+00:00", connectedToAgentAt: "2026-11-24T19:52:00+00:00", disconnectedAt: null },
    { contactId: "eeee5555-aws", initialContactId: "eeee5555-aws", previousContactId: null, initiationMethod: "API", channel: "VOICE", queueId: "q-1", queueName: "Sales - New Orders", agentId: null, initiatedAt: "2026-11-24T19:40:00+00:00", enqueuedAt: null, connectedToAgentAt: null, disconnectedAt: "2026-11-24T19:41:00+00:00" },
  ],
  totalCount: 2,
  from: "2026-11-23T20:00:00+00:00",
  to: "2026-11-24T20:00:00+00:00",
};

function api(url: string) {
  if (url.endsWith("/api/connect/metrics/queues")) return json(METRICS);
  if (url.endsWith("/api/surveys/summary")) return json(SUMMARY);
  if (url.includes("/api/connect/contacts/search")) return json(url.includes("queueId=q-1") ? { ...FOUND, contacts: FOUND.contacts.slice(1) } : FOUND);
  return null;
}

describe("supervisor API client", () => {
  test("contact search criteria go in the query string, empty ones left out", async () => {
    const { fetcher, calls } = fakeFetch(() => json(FOUND));
    await searchContacts("https://api.example/prod", "tok", { from: "2026-11-20T00:00:00Z", queueId: "", agentId: "a-1", limit: 10 }, fetcher);
    expect(calls[0].url).toBe("https://api.example/prod/connect/contacts/search?from=2026-11-20T00%3A00%3A00Z&agentId=a-1&limit=10");
  });

  test("sends the ID token to the supervisor routes and keeps problem details on errors", async () => {
    const { fetcher, calls } = fakeFetch((url) =>
      url.endsWith("/surveys/summary") ? json({ type: "https://x/problems/supervisors-only", title: "This request is not allowed", status: 403, detail: "Only members of the supervisor group may see this." }, 403) : json(METRICS),
    );
    expect(await fetchQueueMetrics("https://api.example/prod", "tok", fetcher)).toEqual(METRICS);
    await expect(fetchSurveySummary("https://api.example/prod", "tok", fetcher)).rejects.toMatchObject({ kind: "supervisors-only", problem: { status: 403 } });
    expect(calls.map((c) => c.url)).toEqual(["https://api.example/prod/connect/metrics/queues", "https://api.example/prod/surveys/summary"]);
    expect(calls.every((c) => new Headers(c.init.headers).get("Authorization") === "Bearer tok")).toBe(true);
  });
});

beforeEach(() => sessionStorage.clear()); // the queue history the page keeps

describe("supervisor page", () => {
  test("on AWS: contact records from Connect's search, a queue as criterion, a text filter on what came back", async () => {
    const { fetcher, calls } = fakeFetch((url) => api(url) ?? json({}, 404));
    renderPage(<Supervisor config={awsConfig} fetcher={fetcher} />, { session: supervisor });
    const records = await screen.findByTestId("records");
    await waitFor(() => expect(within(records).getAllByRole("row")).toHaveLength(3));
    expect(within(records).getAllByRole("row")[1]).toHaveTextContent("dddd4444—Phone callSupport - Technicalagent-id-7In progress");
    expect(within(records).getAllByRole("row")[2]).toHaveTextContent("eeee5555—WebsiteSales - New Orders—Ended");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Filter by contact id, agent or queue"), "agent-id-7");
    expect(within(records).getAllByRole("row")).toHaveLength(2);
    await user.clear(screen.getByLabelText("Filter by contact id, agent or queue"));
    await user.selectOptions(screen.getByLabelText("Queue"), "Sales - New Orders");
    await waitFor(() => expect(within(records).getAllByRole("row")).toHaveLength(2));
    expect(records).toHaveTextContent("eeee5555");
    const searches = calls.filter((c) => c.url.includes("/contacts/search")).map((c) => c.url);
    expect(searches[0]).toBe("http://stack.test/api/connect/contacts/search?limit=100");
    expect(searches.at(-1)).toBe("http://stack.test/api/connect/contacts/search?queueId=q-1&limit=100");
  });

  test("on AWS: queues and surveys from the API, no local-only parts, nothing asked of /local", async () => {
    const { fetcher, calls } = fakeFetch((url) => api(url) ?? json({}, 404));
    renderPage(<Supervisor config={awsConfig} fetcher={fetcher} />, { session: supervisor });
    const queues = await screen.findByTestId("queues");
    await waitFor(() => expect(within(queues).getAllByRole("row")[1]).toHaveTextContent("Sales - New Orders21 min 15 s3011"));
    expect(within(queues).getAllByRole("row")[2]).toHaveTextContent("Support - Technical0—1100");
    const summary = screen.getByTestId("survey-summary");
    await waitFor(() => expect(summary).toHaveTextContent("All24.004.503.00"));
    expect(summary).toHaveTextContent("Per queue: Sales - New Orders24.004.503.00");
    expect(summary).toHaveTextContent("Per agent: agent.support13.004.002.00");
    expect(screen.getByTestId("survey-recent")).toHaveTextContent("Sales - New Orders · agent.support · Satisfaction with the help: 3; Ease of reaching the right person: 4; Would recommend us: x");
    expect(screen.queryByTestId("agents")).not.toBeInTheDocument();
    expect(screen.getByText(/Connect cannot search by customer number/)).toBeInTheDocument();
    expect(calls.some((c) => c.url.includes("/local"))).toBe(false);
    expect(calls.every((c) => new Headers(c.init.headers).get("Authorization") === "Bearer id-token-supervisor")).toBe(true);
  });

  test("locally: the same API calls, plus agents and a records search from the runtime (with customers' notes)", async () => {
    const { fetcher, calls } = fakeFetch((url) => {
      const answer = api(url);
      if (answer) return answer;
      if (url.endsWith("/local/agents")) return json({ agents: [{ username: "agent.sales", name: "Sam Sales", state: "On contact", stateSince: 0 }] });
      if (url.includes("/local/contacts")) return json({ contacts: [record("aaaa1111", "q-1", "agent.sales", "+12025550101", "Router blinking"), record("cccc3333", "q-2", "agent.support", "+13125550109")] });
      return json({}, 404);
    });
    renderPage(<Supervisor config={config} fetcher={fetcher} />, { session: supervisor });
    await waitFor(() => expect(screen.getByTestId("agents")).toHaveTextContent("Sam Sales (agent.sales)On contact"));
    await waitFor(() => expect(screen.getByTestId("survey-recent")).toHaveTextContent("Customer's note: “Router blinking”"));
    const records = screen.getByTestId("records");
    expect(within(records).getAllByRole("row")).toHaveLength(3);
    await userEvent.setup().type(screen.getByLabelText(/Search by number/), "Support - Technical");
    expect(within(records).getAllByRole("row")).toHaveLength(2);
    expect(records).toHaveTextContent("cccc3333");
    expect(calls.some((c) => c.url.endsWith("/api/connect/metrics/queues"))).toBe(true);
    expect(calls.some((c) => c.url.endsWith("/local/queues"))).toBe(false); // live numbers come from the API
  });

  test("a partial survey summary says so, and an API error is shown (in Spanish too)", async () => {
    const { fetcher } = fakeFetch((url) =>
      url.endsWith("/surveys/summary") ? json({ ...SUMMARY, complete: false, limit: 1000 }) : json({ type: "https://x/problems/connect-throttled", title: "Too many requests", status: 429, detail: "The contact center is busy; retry shortly." }, 429),
    );
    renderPage(<Supervisor config={awsConfig} fetcher={fetcher} />, { session: supervisor, lang: "es" });
    expect(await screen.findByRole("alert")).toHaveTextContent("La API del centro de contacto respondió con un error: The contact center is busy; retry shortly.");
    expect(await screen.findByText("Calculado con 1000 resultados; hay más guardados.")).toBeInTheDocument();
  });

  test("only supervisors, and nothing is fetched for others", () => {
    const { fetcher, calls } = fakeFetch(() => json(METRICS));
    renderPage(<Supervisor config={config} fetcher={fetcher} />, { session: { ...maria, groups: ["agent"] } });
    expect(screen.getByText("This page is for supervisors.")).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});

describe("supervisor page: what people would rather look at than read", () => {
  const withDetails: ContactRecord = {
    ...record("ffff6666", "q-1", "agent.sales", "+12025550101"),
    InitiationTimestamp: 1767643200,
    EnqueueTimestamp: 1767643230,
    ConnectedToAgentTimestamp: 1767643260,
    DisconnectTimestamp: 1767643500,
    DisconnectReason: "AGENT_DISCONNECT",
    Attributes: { DispositionCode: "FOLLOW_UP", AgentNotes: "Send the new router", department: "sales" },
    SurveyAnswers: { Q1: "5", Q2: "4", Q3: "5" },
  };
  const local = () =>
    fakeFetch((url) => {
      const answer = api(url);
      if (answer) return answer;
      if (url.endsWith("/local/agents"))
        return json({ agents: [{ username: "agent.sales", name: "Sam Sales", state: "Missed", stateSince: 0 }, { username: "agent.support", name: "Sofia Support", state: "Available", stateSince: 0 }] });
      if (url.includes("/local/contacts")) return json({ contacts: [withDetails, { ...record("cccc3333", "q-2", "agent.support"), State: "QUEUED", DisconnectReason: null }] });
      return json({}, 404);
    });

  test("questions are named and outcomes are words", async () => {
    const { fetcher } = local();
    renderPage(<Supervisor config={config} fetcher={fetcher} />, { session: supervisor });
    const summary = await screen.findByTestId("survey-summary");
    expect(within(summary).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Responses", "Satisfaction with the help", "Ease of reaching the right person", "Would recommend us"]);
    const records = screen.getByTestId("records");
    await waitFor(() => expect(within(records).getAllByRole("row")).toHaveLength(3));
    expect(within(records).getAllByRole("row")[1]).toHaveTextContent("Agent hung up");
    expect(within(records).getAllByRole("row")[2]).toHaveTextContent("Waiting in queue");
    expect(records).not.toHaveTextContent("AGENT_DISCONNECT");
  });

  test("an agent who missed an offer stands out and the row says what to do", async () => {
    const { fetcher } = local();
    renderPage(<Supervisor config={config} fetcher={fetcher} />, { session: supervisor });
    const agents = await screen.findByTestId("agents");
    await waitFor(() => expect(within(agents).getAllByRole("row")).toHaveLength(3));
    const missed = within(agents).getByRole("row", { name: /Sam Sales/ });
    expect(missed).toHaveClass("is-missed");
    expect(missed).toHaveTextContent("Missed an offer: gets no contacts until they choose Available again.");
    expect(within(agents).getByRole("row", { name: /Sofia Support/ })).not.toHaveClass("is-missed");
  });

  test("a click on a record opens its details: timeline, survey and attributes (the wrap-up in words)", async () => {
    const { fetcher } = local();
    renderPage(<Supervisor config={config} fetcher={fetcher} />, { session: supervisor });
    const open = await screen.findByRole("button", { name: "Details of contact ffff6666" });
    await userEvent.setup().click(open);
    const details = screen.getByTestId("record-details");
    expect(within(details).getByRole("heading", { level: 3 })).toHaveFocus();
    expect(open).toHaveAttribute("aria-expanded", "true");
    const timeline = within(details).getByTestId("record-timeline");
    expect(within(timeline).getAllByRole("listitem").map((li) => li.textContent?.replace(/^.*? (Started|Queued|Connected|Ended)/, "$1"))).toEqual([
      "Started (Website)",
      "Queued in Sales - New Orders",
      "Connected to agent.sales",
      "Ended: Agent hung up",
    ]);
    expect(within(details).getByTestId("record-survey")).toHaveTextContent("Satisfaction with the help5Ease of reaching the right person4Would recommend us5");
    const attributes = within(details).getByTestId("record-attributes");
    expect(attributes).toHaveTextContent("AgentNotesSend the new router");
    expect(attributes).toHaveTextContent("DispositionCodeNeeds a follow-up");
    await userEvent.setup().click(within(details).getByRole("button", { name: "Close details" }));
    expect(screen.queryByTestId("record-details")).toBeNull();
  });

  test("the queue charts' numbers are there as a table too, from the samples the page keeps", async () => {
    const { fetcher } = local();
    renderPage(<Supervisor config={config} fetcher={fetcher} />, { session: supervisor });
    const depth = await screen.findByTestId("chart-depth");
    expect(within(depth).getByText("Contacts waiting, last hour")).toBeInTheDocument();
    await waitFor(() => expect(within(depth).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Time", "Sales - New Orders", "Support - Technical"]));
    expect(within(depth).getAllByRole("row")[1]).toHaveTextContent(/20$/);
    expect(within(screen.getByTestId("chart-oldest")).getAllByRole("row")[1]).toHaveTextContent(/1 min 15 s0 min 00 s$/);
  });
});

