// Supervisor: queues live (polled every two seconds) and the survey results summary from the API's
// supervisor routes, the same calls on AWS and on the local stack. Agents' states come from the local
// runtime (local only). Contact records: the runtime's locally (searchable by the customer's number),
// Connect's SearchContacts through the API on AWS (by queue; Connect has no number to search).
// This module polls; the three panels (supervisor/*) only show what they are given.

import { useEffect, useMemo, useState } from "react";
import type { SiteConfig } from "../config";
import { useI18n } from "../i18n";
import { useSession } from "../session";
import { type ContactRecord, LocalDesk } from "./desk";
import { contactStateLabel, methodLabel, outcomeLabel } from "./labels";
import { addSample, loadSamples, type QueueSample, surveyPointsFromRecords, surveyPointsFromSummary } from "./supervisor/history";
import { type AgentRow, QueuesPanel } from "./supervisor/QueuesPanel";
import { type RecordRow, RecordsPanel } from "./supervisor/RecordsPanel";
import { SurveysPanel } from "./supervisor/SurveysPanel";
import { fetchQueueMetrics, fetchSurveySummary, searchContacts } from "./supervisorApi";
import { staffText, type StaffKey } from "./text";
import { usePolling } from "./usePolling";

const LIVE_MS = 2000;
const RECORDS_MS = 10_000;

export default function Supervisor({ config, fetcher }: { config: SiteConfig; fetcher?: typeof fetch }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const session = useSession();
  const allowed = session.signedIn && session.groups.includes("supervisor");
  const token = allowed ? session.idToken : null;
  const send = useMemo(() => fetcher ?? ((...args: Parameters<typeof fetch>) => fetch(...args)), [fetcher]);
  const api = config.apiBase;
  // The API's answers change at most every 2 s (queues) and 10 s (surveys): polling faster shows nothing new.
  // A refreshed ID token restarts the polling with the new token.
  const metrics = useMemo(() => (token ? () => fetchQueueMetrics(api, token, send) : null), [api, token, send]);
  const surveys = useMemo(() => (token ? () => fetchSurveySummary(api, token, send) : null), [api, token, send]);
  const desk = useMemo(() => (config.localRuntime ? new LocalDesk(config.localRuntime, fetcher) : null), [config.localRuntime, fetcher]);
  const agentsNow = useMemo(() => (allowed && desk ? () => desk.agents() : null), [allowed, desk]);
  const history = useMemo(() => (allowed && desk ? () => desk.contacts(1000) : null), [allowed, desk]);
  const { data: live, error: liveError } = usePolling(metrics, LIVE_MS);
  const { data: survey, error: surveyError } = usePolling(surveys, RECORDS_MS);
  const { data: agentList, error: agentsError } = usePolling(agentsNow, LIVE_MS);
  const { data: records, error: recordsError } = usePolling(history, RECORDS_MS);
  const [queueFilter, setQueueFilter] = useState("");
  // On AWS the records are Connect's (SearchContacts, last 24 hours); a chosen queue is a criterion.
  const search = useMemo(
    () => (token && !desk ? () => searchContacts(api, token, { queueId: queueFilter || undefined, limit: 100 }, send) : null),
    [api, token, desk, queueFilter, send],
  );
  const { data: searched, error: searchError } = usePolling(search, RECORDS_MS);
  // The API reports queues as they are now: the page keeps the last hour of samples for the charts.
  const [samples, setSamples] = useState<QueueSample[]>(() => loadSamples(Date.now()));
  useEffect(() => {
    if (!live) return;
    const at = live.dataSnapshotTime ? Date.parse(live.dataSnapshotTime) : Date.now();
    const queues = Object.fromEntries(live.queues.map((q) => [q.queueId, { name: q.name, depth: q.contactsInQueue, oldest: q.contactsInQueue ? q.oldestContactAgeSeconds : 0 }]));
    setSamples((kept) => addSample(kept, { at: Number.isFinite(at) ? at : Date.now(), queues }));
  }, [live]);

  const heading = (
    <h1 className="title" tabIndex={-1}>
      {s("supervisorTitle")}
    </h1>
  );
  if (!allowed) {
    return (
      <>
        {heading}
        <p>{s("notSupervisor")}</p>
      </>
    );
  }

  const queues = live?.queues ?? [];
  const agents = desk ? ((agentList?.agents ?? []) as AgentRow[]) : null;
  const queueName = (id: string | null) => queues.find((q) => q.queueId === id)?.name ?? id ?? "—";
  const contacts: ContactRecord[] = records?.contacts ?? [];
  const notes = new Map(contacts.filter((c) => c.Attributes?.note).map((c) => [c.ContactId, c.Attributes.note]));
  // One row shape for both sources: the runtime's records locally (with the customer's number and
  // the outcome), Connect's SearchContacts through the API on AWS (no number: Connect has none there).
  const ms = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : seconds * 1000);
  const iso = (text: string | null) => (text ? Date.parse(text) : null);
  const timeline = (steps: [string, number | null][]) => steps.filter((step): step is [string, number] => step[1] !== null).map(([text, at]) => ({ text, at }));
  const rows: RecordRow[] = desk
    ? contacts.map((c) => {
        const outcome = c.State === "DISCONNECTED" ? outcomeLabel(c.DisconnectReason, lang) : contactStateLabel(c.State, lang);
        return {
          id: c.ContactId,
          started: c.InitiationTimestamp * 1000,
          number: c.CustomerEndpoint,
          method: methodLabel(c.InitiationMethod, lang),
          queue: queueName(c.QueueId),
          agent: c.Agent,
          outcome,
          details: {
            attributes: c.Attributes ?? {},
            survey: c.SurveyAnswers ?? {},
            timeline: timeline([
              [s("tlStarted", { method: methodLabel(c.InitiationMethod, lang) }), c.InitiationTimestamp * 1000],
              [s("tlQueued", { queue: queueName(c.QueueId) }), ms(c.EnqueueTimestamp)],
              [s("tlConnected", { agent: c.Agent ?? "—" }), ms(c.ConnectedToAgentTimestamp)],
              [s("tlEnded", { outcome }), ms(c.DisconnectTimestamp)],
            ]),
          },
        };
      })
    : (searched?.contacts ?? []).map((c) => {
        const outcome = s(c.disconnectedAt ? "ended" : "inProgress");
        return {
          id: c.contactId,
          started: iso(c.initiatedAt),
          number: null,
          method: methodLabel(c.initiationMethod, lang),
          queue: c.queueName ?? c.queueId ?? "—",
          agent: c.agentId,
          outcome,
          details: {
            attributes: null,
            survey: null,
            timeline: timeline([
              [s("tlStarted", { method: methodLabel(c.initiationMethod, lang) }), iso(c.initiatedAt)],
              [s("tlQueued", { queue: c.queueName ?? c.queueId ?? "—" }), iso(c.enqueuedAt)],
              [s("tlConnected", { agent: c.agentId ?? "—" }), iso(c.connectedToAgentAt)],
              [s("tlEnded", { outcome }), iso(c.disconnectedAt)],
            ]),
          },
        };
      });
  const surveyPoints = desk ? surveyPointsFromRecords(contacts, queueName) : surveyPointsFromSummary(survey);
  const apiError = liveError ?? surveyError ?? searchError;
  const deskError = agentsError ?? recordsError;

  return (
    <>
      {heading}
      {apiError && (
        <p className="notification is-danger is-light" role="alert">
          {s("apiError", { detail: apiError })}
        </p>
      )}
      {deskError && (
        <p className="notification is-danger is-light" role="alert">
          {s("error", { detail: deskError })}
        </p>
      )}
      <QueuesPanel queues={queues} agents={agents} samples={samples} />
      <SurveysPanel survey={survey} notes={notes} points={surveyPoints} local={desk !== null} />
      <RecordsPanel rows={rows} local={desk !== null} queues={queues} queueFilter={queueFilter} onQueueFilter={setQueueFilter} />
    </>
  );
}
