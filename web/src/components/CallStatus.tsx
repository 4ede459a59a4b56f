// Live status of a requested call: requested → calling you → in queue (position, wait) → with
// an agent → ended. The same code locally and on AWS: the API's GET /connect/contact/<id>, which
// reads Amazon Connect (or the local twin) for the customer who placed the call.

import { useEffect, useRef, useState } from "react";
import { ApiError, type ContactStatus, fetchContactStatus } from "../api";
import { useI18n } from "../i18n";
import { duration } from "../time/format";

/** What the page shows: "placing" until the API first answers, then the API's state. */
export interface LiveStatus {
  state: "placing" | ContactStatus["state"];
  queueName?: string | null;
  position?: number | null;
  estimatedWaitSeconds?: number | null;
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
          position: answer.state === "in-queue" ? answer.positionInQueue : null,
          estimatedWaitSeconds: answer.state === "in-queue" ? answer.estimatedWaitSeconds : null,
          problem: null,
        });
        if (answer.state === "ended") next = null;
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

export function CallStatusView({ status, contactId, phoneNumber }: { status: LiveStatus; contactId: string; phoneNumber: string }) {
  const { t } = useI18n();
  const steps: { key: LiveStatus["state"]; text: string }[] = [
    { key: "placing", text: t("statusRequested") },
    { key: "requested", text: t("statusCalling") },
    { key: "in-queue", text: status.queueName ? t("statusQueued", { queue: status.queueName }) : t("statusQueuedAny") },
    { key: "with-agent", text: t("statusAgent") },
    { key: "ended", text: t("statusEnded") },
  ];
  const current = Math.max(0, steps.findIndex((s) => s.key === status.state));
  const waiting = status.state === "in-queue";
  return (
    <section className="box" aria-labelledby="call-status-title">
      <h2 className="title is-4" id="call-status-title">
        {t("statusTitle")}
      </h2>
      <ol className="call-steps">
        {steps.map((step, index) => (
          <li key={step.key} className={index < current ? "is-done" : index === current ? "is-current" : "is-next"} aria-current={index === current ? "step" : undefined}>
            {step.text}
          </li>
        ))}
      </ol>
      <div role="status" aria-live="polite" className="notification is-info is-light" data-testid="call-status" data-state={status.state}>
        <p>{steps[current].text}</p>
        {(status.state === "placing" || status.state === "requested") && <p>{t("statusUnknownLive", { number: phoneNumber })}</p>}
        {waiting && status.position ? <p>{t("statusPosition", { position: status.position })}</p> : null}
        {waiting && status.estimatedWaitSeconds ? <p>{t("statusWait", { time: duration(status.estimatedWaitSeconds * 1000) })}</p> : null}
      </div>
      {status.problem ? (
        <p className={`notification is-light ${status.problem === "not-found" || status.problem === "unauthorized" ? "is-warning" : "is-info"}`} role="alert" data-testid="call-status-problem">
          {t(PROBLEM_TEXT[status.problem])}
        </p>
      ) : null}
      <p className="help">{t("contactId", { id: contactId })}</p>
    </section>
  );
}
