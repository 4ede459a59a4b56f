// The JAM API: public hours, and click-to-call for a signed-in customer (ID token as Bearer).
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

async function call<T>(url: string, init: RequestInit, fetcher: typeof fetch): Promise<T> {
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
