// The JAM API: public hours, and click-to-call and its live status for a signed-in customer (ID
// token as Bearer).
// Every error arrives as application/problem+json; ApiError keeps all of it for the UI.

import type { Hours } from "./time/schedule";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  field?: string;
  retryAfter?: number;
}

export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    readonly retryAfterSeconds: number | null,
  ) {
    super(problem.detail || problem.title);
  }

  /** The problem type's last path segment ("rate-limited"), or "network" / "http-<status>". */
  get kind(): string {
    const type = this.problem.type || "";
    return type && type !== "about:blank" ? type.split("/").pop() || type : `http-${this.problem.status}`;
  }
}

function retryAfter(response: Response, problem: Partial<Problem>): number | null {
  const header = response.headers.get("Retry-After");
  const seconds = header && /^\d+$/.test(header) ? Number(header) : problem.retryAfter;
  return typeof seconds === "number" && Number.isFinite(seconds) ? seconds : null;
}

/** A JSON request to the API: the body on success, an ApiError (problem+json) otherwise. */
export async function call<T>(url: string, init: RequestInit, fetcher: typeof fetch): Promise<T> {
  let response: Response;
  try {
    response = await fetcher(url, init);
  } catch {
    throw new ApiError({ type: "network", title: "Network error", status: 0 }, null);
  }
  if (response.ok) return (await response.json()) as T;
  let problem: Partial<Problem> = {};
  try {
    problem = await response.json();
  } catch {
    // A gateway error page rather than problem+json: keep the status.
  }
  const full: Problem = {
    type: problem.type || `http-${response.status}`,
    title: problem.title || response.statusText || "Error",
    status: response.status,
    detail: problem.detail,
    field: problem.field,
    retryAfter: problem.retryAfter,
  };
  throw new ApiError(full, retryAfter(response, problem));
}

export function fetchHours(apiBase: string, hoursOfOperationId: string, fetcher: typeof fetch = fetch): Promise<Hours> {
  return call<Hours>(
    `${apiBase}/connect/hours`,
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ hoursOfOperationId }) },
    fetcher,
  );
}

export interface CallRequest {
  destinationPhoneNumber: string;
  contactFlowId: string;
  attributes: { department: string; issue: string; language: "en-US" | "es-US"; note?: string };
  /** The department is closed: call at its next opening instead (the API answers 409 otherwise). */
  callWhenOpen?: boolean;
}

export function requestCall(
  apiBase: string,
  idToken: string,
  idempotencyKey: string,
  body: CallRequest,
  fetcher: typeof fetch = fetch,
): Promise<{ contactId: string }> {
  return call<{ contactId: string }>(
    `${apiBase}/connect/contact`,
    {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${idToken}`,
        "Idempotency-Key": idempotencyKey,
      },
      body: JSON.stringify(body),
    },
    fetcher,
  );
}

/** GET /connect/contact/{contactId}: the live status of a call the signed-in customer asked for. */
export interface ContactStatus {
  contactId: string;
  /** scheduled: accepted, waiting for Connect's outbound quota; failed: Connect refused it for good. */
  state: "scheduled" | "requested" | "in-queue" | "with-agent" | "ended" | "failed";
  queueName: string | null;
  initiatedAt: string | null;
  enqueuedAt: string | null;
  connectedToAgentAt: string | null;
  disconnectedAt: string | null;
  /** Once ended: Connect's code for how (CUSTOMER_DISCONNECT, AGENT_DISCONNECT, TELECOM_PROBLEM…). */
  disconnectReason?: string | null;
  positionInQueue: number | null;
  estimatedWaitSeconds: number | null;
  /** While scheduled: when we expect to place the call. */
  estimatedCallAt?: string | null;
  asOf: string;
}

export function fetchContactStatus(apiBase: string, idToken: string, contactId: string, fetcher: typeof fetch = fetch): Promise<ContactStatus> {
  return call<ContactStatus>(`${apiBase}/connect/contact/${encodeURIComponent(contactId)}`, { headers: { Authorization: `Bearer ${idToken}` } }, fetcher);
}
