// Live status of a requested call: requested → calling you → in queue (position, wait) → with
// an agent → ended. Locally the runtime's /local/contacts/<id> answers; on AWS there is no
// status source yet, so the page says the call is on its way and stops there.

import { useEffect, useState } from "react";
import { useI18n } from "../i18n";
import { duration } from "../time/format";

export interface LiveStatus {
  state: "REQUESTED" | "IN_FLOW" | "QUEUED" | "OFFERED" | "SCHEDULED" | "DIALING" | "CONNECTED" | "DISCONNECTED";
  queueName?: string | null;
  position?: number | null;
  estimatedWaitSeconds?: number | null;
}

const POLL_MS = 1500;

export function useContactStatus(runtime: string | undefined, contactId: string, fetcher: typeof fetch = fetch): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>({ state: "REQUESTED" });
  useEffect(() => {
    if (!runtime) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const queues = new Map<string, { name: string; wait: number | null }>();
    const poll = async () => {
      try {
        const response = await fetcher(`${runtime}/contacts/${encodeURIComponent(contactId)}`);
        if (response.ok) {
          const record = await response.json();
          const waiting = record.State === "QUEUED" || record.State === "OFFERED";
          // Queue names once, wait estimates while waiting (they change as agents free up).
          if (record.QueueId && (waiting || !queues.has(record.QueueId))) {
            const metrics = await fetcher(`${runtime}/queues`);
            if (metrics.ok) {
              for (const q of (await metrics.json()).queues ?? []) queues.set(q.id, { name: q.name, wait: q.ESTIMATED_WAIT_TIME ?? null });
            }
          }
          const queue = record.QueueId ? queues.get(record.QueueId) : undefined;
          if (!stopped) {
            setStatus({
              state: record.State,
              queueName: queue?.name ?? null,
              position: waiting && typeof record.Position === "number" ? record.Position + 1 : null,
              estimatedWaitSeconds: waiting ? (queue?.wait ?? null) : null,
            });
          }
          if (record.State === "DISCONNECTED") return;
        }
      } catch {
        // a missed poll is retried on the next tick
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [runtime, contactId, fetcher]);
  return status;
}

export function CallStatusView({ status, contactId, phoneNumber }: { status: LiveStatus; contactId: string; phoneNumber: string }) {
  const { t } = useI18n();
  const steps: { key: LiveStatus["state"][]; text: string }[] = [
    { key: ["REQUESTED"], text: t("statusRequested") },
    { key: ["IN_FLOW", "DIALING"], text: t("statusCalling") },
    { key: ["QUEUED", "OFFERED", "SCHEDULED"], text: status.queueName ? t("statusQueued", { queue: status.queueName }) : t("statusQueuedAny") },
    { key: ["CONNECTED"], text: t("statusAgent") },
    { key: ["DISCONNECTED"], text: t("statusEnded") },
  ];
  const current = Math.max(0, steps.findIndex((s) => s.key.includes(status.state)));
  return (
    <section className="box" aria-labelledby="call-status-title">
      <h2 className="title is-4" id="call-status-title">
        {t("statusTitle")}
      </h2>
      <ol className="call-steps">
        {steps.map((step, index) => (
          <li key={step.key[0]} className={index < current ? "is-done" : index === current ? "is-current" : "is-next"} aria-current={index === current ? "step" : undefined}>
            {step.text}
          </li>
        ))}
      </ol>
      <div role="status" aria-live="polite" className="notification is-info is-light" data-testid="call-status">
        <p>{steps[current].text}</p>
        {status.state === "REQUESTED" && <p>{t("statusUnknownLive", { number: phoneNumber })}</p>}
        {(status.state === "QUEUED" || status.state === "OFFERED") && status.position ? <p>{t("statusPosition", { position: status.position })}</p> : null}
        {(status.state === "QUEUED" || status.state === "OFFERED") && status.estimatedWaitSeconds ? <p>{t("statusWait", { time: duration(status.estimatedWaitSeconds * 1000) })}</p> : null}
      </div>
      <p className="help">{t("contactId", { id: contactId })}</p>
    </section>
  );
}
