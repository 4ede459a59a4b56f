// The local runtime's agent and supervisor endpoints (docs/LOCAL-API.md), local only: on AWS the
// agent desktop is the Connect CCP (ccp.ts) and the supervisor page reads the API (supervisorApi.ts).

export interface ScreenPop {
  firstName: string | null;
  lastName: string | null;
  vip: string | null;
  verified: string | null;
  /** How the caller proved who they are (null: not verified). */
  verifiedBy?: "website" | "pin" | "code" | null;
  issue: string | null;
  language: string | null;
  customerId: string | null;
  phoneNumber: string | null;
  previousContacts: { contactId: string; initiationMethod: string; initiatedAt: number; queueId: string | null; agent: string | null; disconnectReason: string | null }[];
}

/** "website": the API set `Verified` from the signed-in customer's token; "pin": the inbound flow's
 * `pin-save` stored the PIN Lambda's answer as `PinVerified` (local_connect/desk.py does the same). */
export function verifiedBy(attributes: Record<string, string>): "website" | "pin" | "code" | null {
  if (attributes.Verified === "true") return "website";
  if (attributes.PinVerified === "true") return "pin";
  if (attributes.CodeVerified === "true") return "code"; // `code-save`: the one-time code by SMS
  return null;
}

export interface DeskContact {
  contactId: string;
  initialContactId?: string;
  initiationMethod: string;
  state: string;
  customerNumber: string;
  queueId: string | null;
  queueName: string | null;
  enqueuedAt: number | null;
  connectedAt: number | null;
  onHold: boolean;
  attributes: Record<string, string>;
  screenPop: ScreenPop;
}

export interface AgentView {
  username: string;
  name: string;
  state: string;
  stateSince: number;
  /** Why the system put the agent in this state (Missed, Offline after a lost desk), and what to do. */
  stateReason?: string | null;
  stateDetail?: string | null;
  contactId: string | null;
  contact: DeskContact | null;
  queues: { id: string; name: string; priority: number; delay: number }[];
  last: number;
}

export interface QueueMetrics {
  id: string;
  name: string;
  CONTACTS_IN_QUEUE: number;
  OLDEST_CONTACT_AGE: number;
  AGENTS_ONLINE: number;
  AGENTS_AVAILABLE: number;
  AGENTS_ON_CONTACT: number;
  AGENTS_AFTER_CONTACT_WORK: number;
  ESTIMATED_WAIT_TIME: number | null;
}

export interface ContactRecord {
  ContactId: string;
  InitiationMethod: string;
  State: string;
  CustomerEndpoint: string;
  QueueId: string | null;
  Agent: string | null;
  InitiationTimestamp: number;
  InitialContactId?: string;
  EnqueueTimestamp?: number | null;
  ConnectedToAgentTimestamp?: number | null;
  DisconnectTimestamp?: number | null;
  DisconnectDetail?: string | null;
  LanguageCode?: string | null;
  DisconnectReason: string | null;
  Attributes: Record<string, string>;
  SurveyAnswers: Record<string, string>;
}

/** GET /local/: where the Connect twin is and which instance it serves. */
export interface RuntimeInfo {
  instanceId: string;
  connectApi: string;
}

export class DeskError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

export class LocalDesk {
  constructor(
    readonly base: string,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.fetcher(`${this.base}${path}`, init);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new DeskError(response.status, body.error ?? `HTTP ${response.status}`, body.detail ?? response.statusText);
    return body as T;
  }

  private post<T>(path: string, body: object = {}): Promise<T> {
    return this.call<T>(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  agent(username: string) {
    return this.call<AgentView>(`/agents/${encodeURIComponent(username)}`);
  }

  setState(username: string, state: "Available" | "Offline") {
    return this.post<AgentView>(`/agents/${encodeURIComponent(username)}/state`, { state });
  }

  act(username: string, contactId: string, action: "accept" | "reject" | "hold" | "resume" | "end") {
    return this.post<AgentView>(`/agents/${encodeURIComponent(username)}/contacts/${encodeURIComponent(contactId)}/${action}`);
  }

  /** Transfer the connected contact to another queue (id or ARN): a new TRANSFER contact waits
   * there and the agent goes to after-contact work, as on Connect. */
  transfer(username: string, contactId: string, queueId: string) {
    return this.post<AgentView>(`/agents/${encodeURIComponent(username)}/contacts/${encodeURIComponent(contactId)}/transfer`, { queueId });
  }

  /** Call a number (E.164) from the desk: an OUTBOUND contact; the agent is On contact while it rings. */
  dial(username: string, number: string) {
    return this.post<AgentView>(`/agents/${encodeURIComponent(username)}/dial`, { number });
  }

  /** The desk is open: the runtime sets the agent Offline when these stop (docs/LOCAL-API.md). */
  heartbeat(username: string) {
    return this.post<{ state: string }>(`/agents/${encodeURIComponent(username)}/heartbeat`);
  }

  /** Signing out or closing the desk: Offline at once (a beacon survives the page going away). */
  signOutBeacon(username: string) {
    const url = `${this.base}/agents/${encodeURIComponent(username)}/sign-out`;
    if (typeof navigator !== "undefined" && typeof navigator.sendBeacon === "function") navigator.sendBeacon(url);
    else void this.fetcher(url, { method: "POST", keepalive: true }).catch(() => undefined);
  }

  completeAfterContactWork(username: string) {
    return this.post<AgentView>(`/agents/${encodeURIComponent(username)}/after-contact-work/complete`);
  }

  /** Long poll: resolves when the agent has events after `after` (or after `timeout` seconds). */
  events(username: string, after: number, timeout = 25, signal?: AbortSignal) {
    return this.call<{ events: { seq: number; type: string }[]; last: number }>(`/agents/${encodeURIComponent(username)}/events?after=${after}&timeout=${timeout}`, { signal });
  }

  queues() {
    return this.call<{ queues: QueueMetrics[]; at: number }>("/queues");
  }

  info() {
    return this.call<RuntimeInfo>("/");
  }

  /** The runtime's clock (`now`, which tests and demos may move) beside the wall clock (`time`). */
  health() {
    return this.call<{ ok: boolean; time: number; now: number }>("/health");
  }

  /** Connect's UpdateContactAttributes on the twin (POST /contact/attributes, the REST-JSON shape
   * boto3 sends; the twin checks no signature): how after-contact work lands on the contact record. */
  async updateContactAttributes(info: RuntimeInfo, initialContactId: string, attributes: Record<string, string>): Promise<void> {
    const response = await this.fetcher(`${info.connectApi}/contact/attributes`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ InstanceId: info.instanceId, InitialContactId: initialContactId, Attributes: attributes }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new DeskError(response.status, response.headers.get("x-amzn-ErrorType") ?? `HTTP ${response.status}`, body.message ?? response.statusText);
    }
  }

  agents() {
    return this.call<{ agents: Omit<AgentView, "contact" | "queues" | "last">[] }>("/agents");
  }

  contacts(limit = 1000) {
    return this.call<{ contacts: ContactRecord[] }>(`/contacts?limit=${limit}`);
  }
}
