// Live status of a requested call: requested → calling you → in queue (position, wait) → with
// an agent → ended. The same code locally and on AWS: the API's GET /connect/contact/<id>, which
// reads Amazon Connect (or the local twin) for the customer who placed the call.

import { type Ref, useEffect, useRef, useState } from "react";
import { ApiError, type ContactStatus, fetchContactStatus } from "../api";
import { type MessageKey, useI18n } from "../i18n";
import { duration, dayAndTime } from "../time/format";

/** What the page shows: "placing" until the API first answers, then the API's state. */
export interface LiveStatus {
  state: "placing" | ContactStatus["state"];
  queueName?: string | null;
  position?: number | null;
  estimatedWaitSeconds?: number | null;
  /** The call's milestones (ISO 8601), for the summary at the end. */
  initiatedAt?: string | null;
  enqueuedAt?: string | null;
  connectedToAgentAt?: string | null;
  disconnectedAt?: string | null;
  /** Connect's code for how it ended, once it has. */
  disconnectReason?: string | null;
  /** While scheduled: when the contact center expects to place the call (ISO 8601). */
  estimatedCallAt?: string | null;
  /** Why the status may be stale or has stopped: the last known state stays on screen. */
  problem?: "unauthorized" | "not-found" | "busy" | "unreachable" | null;
}

// The API reads Connect at most once per contact every 2 s; polling faster would only see its cache.
export const POLL_MS = 2000;
const RETRY_MS = 5000;

export function useContactStatus(apiBase: string, idToken: string | null, contactId: string, fetcher: typeof fetch = fetch): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>({ state: "placing" });
  // The token may be refreshed while the call goes on; the poll reads the latest without restarting.
  const token = useRef(idToken);
  token.current = idToken;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next: number | null = POLL_MS;
      const current = token.current;
      if (!current) {
        setStatus((s) => ({ ...s, problem: "unauthorized" }));
        return;
      }
      try {
        const answer = await fetchContactStatus(apiBase, current, contactId, fetcher);
        if (stopped) return;
        setStatus({
          state: answer.state,
          queueName: answer.queueName,
          position: answer.state === "in-queue" || answer.state === "scheduled" ? answer.positionInQueue : null,
          estimatedWaitSeconds: answer.state === "in-queue" ? answer.estimatedWaitSeconds : null,
          initiatedAt: answer.initiatedAt,
          enqueuedAt: answer.enqueuedAt,
          connectedToAgentAt: answer.connectedToAgentAt,
          disconnectedAt: answer.disconnectedAt,
          disconnectReason: answer.disconnectReason ?? null,
          estimatedCallAt: answer.state === "scheduled" ? answer.estimatedCallAt ?? null : null,
          problem: null,
        });
        if (answer.state === "ended" || answer.state === "failed") next = null;
      } catch (error) {
        if (stopped) return;
        const status = error instanceof ApiError ? error.problem.status : 0;
        const retry = error instanceof ApiError ? error.retryAfterSeconds : null;
        if (status === 401 || status === 404) {
          // Signed out, or not this customer's call: asking again cannot change the answer.
          setStatus((s) => ({ ...s, problem: status === 401 ? "unauthorized" : "not-found" }));
          next = null;
        } else {
          setStatus((s) => ({ ...s, problem: status === 429 ? "busy" : "unreachable" }));
          next = Math.max(POLL_MS, (retry ?? RETRY_MS / 1000) * 1000);
        }
      }
      if (!stopped && next !== null) timer = setTimeout(poll, next);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [apiBase, contactId, fetcher]);
  return status;
}

const PROBLEM_TEXT = {
  unauthorized: "statusUnauthorized",
  "not-found": "statusNotFound",
  busy: "statusBusy",
  unreachable: "statusUnreachable",
} as const;

export type Outcome = "no-answer" | "busy" | "ended-by-us" | "ended-by-you" | "failed" | "ended";

/** What happened, in the customer's terms, from Connect's DisconnectReason.
 * Settled from the runtime and tests: CUSTOMER_DISCONNECT (the customer hung up), AGENT_DISCONNECT,
 * CONTACT_FLOW_DISCONNECT and API (we ended it), TELECOM_PROBLEM (the line failed), and the local
 * runtime's CUSTOMER_NOT_ANSWERED. Connect's reference gives no list of codes for a busy line or an
 * unanswered outbound call (API_DisconnectReason: "A code that indicates how the contact was
 * terminated"); TELECOM_BUSY, TELECOM_UNANSWERED and TELECOM_TIMEOUT are read as busy / no answer
 * if they arrive. Any other code is just "ended", never a guess. */
export function outcomeOf(reason: string | null | undefined): Outcome {
  switch (reason) {
    case "CUSTOMER_DISCONNECT":
      return "ended-by-you";
    case "AGENT_DISCONNECT":
    case "CONTACT_FLOW_DISCONNECT":
    case "API":
    case "THIRD_PARTY_DISCONNECT":
      return "ended-by-us";
    case "CUSTOMER_NOT_ANSWERED":
    case "TELECOM_UNANSWERED":
    case "TELECOM_TIMEOUT":
    case "EXPIRED":
      return "no-answer";
    case "TELECOM_BUSY":
      return "busy";
    case "TELECOM_PROBLEM":
    case "OUTBOUND_DESTINATION_ENDPOINT_ERROR":
    case "OUTBOUND_RESOURCE_ERROR":
    case "OUTBOUND_ATTEMPT_FAILED":
      return "failed";
    default:
      return "ended";
  }
}

const OUTCOME_TEXT: Record<Outcome, MessageKey> = {
  "no-answer": "outcomeNoAnswer",
  busy: "outcomeBusy",
  "ended-by-us": "outcomeEndedByUs",
  "ended-by-you": "outcomeEndedByYou",
  failed: "outcomeFailed",
  ended: "statusEnded",
};

/** A call is over for the page once it ended or cannot be ours: only then may another be asked for. */
export function isFinished(status: LiveStatus): boolean {
  return status.state === "ended" || status.state === "failed" || status.problem === "not-found";
}

function CallSummary({ status }: { status: LiveStatus }) {
  const { t, lang } = useI18n();
  const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
  const started = at(status.initiatedAt);
  const queued = at(status.enqueuedAt);
  const connected = at(status.connectedToAgentAt);
  const ended = at(status.disconnectedAt);
  const clock = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { timeStyle: "short" });
  const rows: [MessageKey, string][] = [];
  if (started !== null) rows.push(["summaryStarted", clock.format(started)]);
  if (queued !== null) rows.push(["summaryWaited", duration(Math.max(0, (connected ?? ended ?? queued) - queued))]);
  if (connected !== null && ended !== null) rows.push(["summaryTalked", duration(Math.max(0, ended - connected))]);
  if (ended !== null) rows.push(["summaryEnded", clock.format(ended)]);
  if (status.queueName) rows.push(["summaryQueue", status.queueName]);
  if (!rows.length) return null;
  return (
    <section aria-labelledby="call-summary-title" data-testid="call-summary">
      <h3 className="title is-5" id="call-summary-title">
        {t("summaryTitle")}
      </h3>
      <dl className="pop-fields">
        {rows.map(([key, value]) => (
          <div key={key} className="summary-row">
            <dt>{t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The visitor's own time zone: "we call you at" is read where they are. */
function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function CallStatusView({ status, contactId, phoneNumber, statusRef }: { status: LiveStatus; contactId: string; phoneNumber: string; statusRef?: Ref<HTMLDivElement> }) {
  const { lang, t } = useI18n();
  const outcome = status.state === "ended" ? outcomeOf(status.disconnectReason) : status.state === "failed" ? "failed" : null;
  const steps: { key: LiveStatus["state"]; text: string }[] = [
    // A request waiting for Connect's outbound quota stands where "placing" would.
    status.state === "scheduled" ? { key: "scheduled", text: t("statusScheduled") } : { key: "placing", text: t("statusRequested") },
    { key: "requested", text: t("statusCalling") },
    { key: "in-queue", text: status.queueName ? t("statusQueued", { queue: status.queueName }) : t("statusQueuedAny") },
    { key: "with-agent", text: t("statusAgent") },
    { key: "ended", text: outcome ? t(OUTCOME_TEXT[outcome]) : t("statusEnded") },
  ];
  // Once ended, only the steps the call went through: a call nobody answered never queued. A call
  // Connect refused never rang: its first step, then what happened.
  const shown =
    status.state === "failed"
      ? [steps[0], { key: "failed" as const, text: t("outcomeFailed") }]
      : status.state === "ended"
      ? steps.filter((step) => (step.key === "in-queue" ? Boolean(status.enqueuedAt) : step.key === "with-agent" ? Boolean(status.connectedToAgentAt) : true))
      : steps;
  const current = Math.max(0, shown.findIndex((s) => s.key === status.state));
  const waiting = status.state === "in-queue";
  const tone = outcome === "failed" || outcome === "busy" || outcome === "no-answer" ? "is-warning" : outcome ? "is-success" : "is-info";
  return (
    <section className="box" aria-labelledby="call-status-title">
      <h2 className="title is-4" id="call-status-title">
        {t("statusTitle")}
      </h2>
      <ol className="call-steps">
        {shown.map((step, index) => (
          <li key={step.key} className={index < current ? "is-done" : index === current ? "is-current" : "is-next"} aria-current={index === current ? "step" : undefined}>
            {step.text}
          </li>
        ))}
      </ol>
      <div role="status" aria-live="polite" tabIndex={-1} ref={statusRef} className={`notification is-light ${tone}`} data-testid="call-status" data-state={status.state} data-outcome={outcome ?? undefined}>
        <p>{shown[current].text}</p>
        {(status.state === "placing" || status.state === "requested") && <p>{t("statusUnknownLive", { number: phoneNumber })}</p>}
        {(waiting || status.state === "scheduled") && status.position ? <p>{t("statusPosition", { position: status.position })}</p> : null}
        {status.state === "scheduled" && status.estimatedCallAt ? (
          <p data-testid="call-at">{t("statusCallAt", { when: dayAndTime(Date.parse(status.estimatedCallAt), lang, localZone()) })}</p>
        ) : null}
        {waiting && status.estimatedWaitSeconds ? <p>{t("statusWait", { time: duration(status.estimatedWaitSeconds * 1000) })}</p> : null}
        {(outcome === "no-answer" || outcome === "busy" || outcome === "failed") && <p>{t("outcomeTryAgain")}</p>}
      </div>
      {status.problem ? (
        <p className={`notification is-light ${status.problem === "not-found" || status.problem === "unauthorized" ? "is-warning" : "is-info"}`} role="alert" data-testid="call-status-problem">
          {t(PROBLEM_TEXT[status.problem])}
        </p>
      ) : null}
      {status.state === "ended" && <CallSummary status={status} />}
      <p className="help">{t("contactId", { id: contactId })}</p>
    </section>
  );
}
