// Supervisor: queues live (polled every two seconds) and the survey results summary from the API's
// supervisor routes, the same calls on AWS and on the local stack. Agents' states come from the local
// runtime (local only). Contact records: the runtime's locally (searchable by the customer's number),
// Connect's SearchContacts through the API on AWS (by queue; Connect has no number to search).

import { useEffect, useMemo, useState } from "react";
import type { SiteConfig } from "../config";
import { useI18n } from "../i18n";
import { useSession } from "../session";
import { duration } from "../time/format";
import { type AgentView, type ContactRecord, LocalDesk } from "./desk";
import { fetchQueueMetrics, fetchSurveySummary, type GroupStats, QUESTIONS, searchContacts } from "./supervisorApi";
import { staffText, type StaffKey } from "./text";

interface RecordRow {
  id: string;
  started: number | null; // ms since the epoch
  number: string | null;
  method: string;
  queue: string;
  agent: string | null;
  outcome: string;
}

const LIVE_MS = 2000;
const RECORDS_MS = 10_000;

// The API's answers change at most every 2 s (queues) and 10 s (surveys): polling faster shows nothing new.
function usePolling<T>(load: (() => Promise<T>) | null, every: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!load) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const value = await load();
        if (!stopped) {
          setData(value);
          setError(null);
        }
      } catch (caught) {
        if (!stopped) setError(caught instanceof Error ? caught.message : String(caught));
      }
      if (!stopped) timer = setTimeout(poll, every);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load, every]);
  return { data, error };
}

export default function Supervisor({ config, fetcher }: { config: SiteConfig; fetcher?: typeof fetch }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const session = useSession();
  const allowed = session.signedIn && session.groups.includes("supervisor");
  const token = allowed ? session.idToken : null;
  const send = useMemo(() => fetcher ?? ((...args: Parameters<typeof fetch>) => fetch(...args)), [fetcher]);
  const api = config.apiBase;
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
  const [query, setQuery] = useState("");
  const [queueFilter, setQueueFilter] = useState("");
  // On AWS the records are Connect's (SearchContacts, last 24 hours); a chosen queue is a criterion.
  const search = useMemo(
    () => (token && !desk ? () => searchContacts(api, token, { queueId: queueFilter || undefined, limit: 100 }, send) : null),
    [api, token, desk, queueFilter, send],
  );
  const { data: searched, error: searchError } = usePolling(search, RECORDS_MS);

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
  const agents = (agentList?.agents ?? []) as Pick<AgentView, "username" | "name" | "state" | "stateSince">[];
  const queueName = (id: string | null) => queues.find((q) => q.queueId === id)?.name ?? id ?? "—";
  const contacts: ContactRecord[] = records?.contacts ?? [];
  const notes = new Map(contacts.filter((c) => c.Attributes?.note).map((c) => [c.ContactId, c.Attributes.note]));
  // One row shape for both sources: the runtime's records locally (with the customer's number and
  // the outcome), Connect's SearchContacts through the API on AWS (no number: Connect has none there).
  const rows: RecordRow[] = desk
    ? contacts.map((c) => ({
        id: c.ContactId,
        started: c.InitiationTimestamp * 1000,
        number: c.CustomerEndpoint,
        method: c.InitiationMethod,
        queue: queueName(c.QueueId),
        agent: c.Agent,
        outcome: c.State === "DISCONNECTED" ? (c.DisconnectReason ?? "—") : c.State,
      }))
    : (searched?.contacts ?? []).map((c) => ({
        id: c.contactId,
        started: c.initiatedAt ? Date.parse(c.initiatedAt) : null,
        number: null,
        method: c.initiationMethod ?? "—",
        queue: c.queueName ?? c.queueId ?? "—",
        agent: c.agentId,
        outcome: s(c.disconnectedAt ? "ended" : "inProgress"),
      }));
  const needle = query.trim().toLowerCase();
  const found = needle ? rows.filter((r) => [r.id, r.number ?? "", r.agent ?? "", r.queue].some((v) => v.toLowerCase().includes(needle))) : rows;
  const format = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { dateStyle: "short", timeStyle: "medium" });
  const avg = (value: number | null) => (value === null ? "—" : value.toFixed(2));
  const apiError = liveError ?? surveyError ?? searchError;
  const deskError = agentsError ?? recordsError;
  const statsRow = (key: string, label: string, group: GroupStats) => (
    <tr key={key}>
      <th scope="row">{label}</th>
      <td>{group.count}</td>
      {QUESTIONS.map((q) => (
        <td key={q}>{avg(group.questions[q].average)}</td>
      ))}
    </tr>
  );

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
      <section aria-labelledby="realtime">
        <h2 className="title is-4" id="realtime">
          {s("realtime")}
        </h2>
        <div className="table-container">
          <table className="table is-fullwidth is-striped" data-testid="queues">
            <thead>
              <tr>
                <th scope="col">{s("queue")}</th>
                <th scope="col">{s("waiting")}</th>
                <th scope="col">{s("oldest")}</th>
                <th scope="col">{s("online")}</th>
                <th scope="col">{s("available")}</th>
                <th scope="col">{s("onContactCount")}</th>
                <th scope="col">{s("acwCount")}</th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.queueId}>
                  <th scope="row">{q.name}</th>
                  <td>{q.contactsInQueue}</td>
                  <td>{q.contactsInQueue ? duration(q.oldestContactAgeSeconds * 1000) : "—"}</td>
                  <td>{q.agentsOnline}</td>
                  <td>{q.agentsAvailable}</td>
                  <td>{q.agentsOnContact}</td>
                  <td>{q.agentsAfterContactWork}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {desk && (
          <>
            <h3 className="title is-5">{s("agents")}</h3>
            <table className="table is-fullwidth is-narrow" data-testid="agents">
              <thead>
                <tr>
                  <th scope="col">{s("name")}</th>
                  <th scope="col">{s("agentState")}</th>
                </tr>
              </thead>
              <tbody>
                {agents.map((a) => (
                  <tr key={a.username}>
                    <th scope="row">
                      {a.name} <span className="has-text-grey">({a.username})</span>
                    </th>
                    <td>{a.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section aria-labelledby="surveys" className="mt-5">
        <h2 className="title is-4" id="surveys">
          {s("surveys")}
        </h2>
        {survey && !survey.complete && <p className="notification is-warning is-light">{s("surveysPartial", { limit: survey.limit })}</p>}
        <table className="table is-fullwidth" data-testid="survey-summary">
          <thead>
            <tr>
              <th scope="col"></th>
              <th scope="col">{s("responses")}</th>
              {QUESTIONS.map((q) => (
                <th scope="col" key={q}>
                  {q}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {survey && statsRow("overall", s("overall"), survey)}
            {survey && Object.entries(survey.queues).map(([name, group]) => statsRow(`queue-${name}`, `${s("perQueue")}: ${name}`, group))}
            {survey && Object.entries(survey.agents).map(([name, group]) => statsRow(`agent-${name}`, `${s("perAgent")}: ${name}`, group))}
          </tbody>
        </table>
        <h3 className="title is-5">{s("recent")}</h3>
        {survey && !survey.recent.length && <p>{s("noSurveys")}</p>}
        <ul data-testid="survey-recent">
          {(survey?.recent ?? []).map((r) => (
            <li key={r.ContactId}>
              {format.format(new Date(r.RecordedAt))} · {r.QueueName || "—"} · {r.AgentUserName || "—"} · {QUESTIONS.map((q) => `${q}=${r[q] || "–"}`).join(" ")}
              {notes.get(r.ContactId) ? ` · ${s("comment")}: “${notes.get(r.ContactId)}”` : ""}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="records" className="mt-5">
        <h2 className="title is-4" id="records">
          {s("records")}
        </h2>
        {!desk && <p>{s("recordsAws")}</p>}
        <div className="field is-grouped is-grouped-multiline">
          {!desk && (
            <div className="control">
              <label className="label" htmlFor="record-queue">
                {s("queue")}
              </label>
              <div className="select">
                <select id="record-queue" value={queueFilter} onChange={(e) => setQueueFilter(e.target.value)}>
                  <option value="">{s("allQueues")}</option>
                  {queues.map((q) => (
                    <option key={q.queueId} value={q.queueId}>
                      {q.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          )}
          <div className="control is-expanded">
            <label className="label" htmlFor="record-search">
              {s(desk ? "search" : "filterAws")}
            </label>
            <input id="record-search" className="input" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
        </div>
        <div className="table-container">
          <table className="table is-fullwidth is-narrow" data-testid="records">
            <thead>
              <tr>
                <th scope="col">{s("started")}</th>
                <th scope="col">{s("contactId")}</th>
                <th scope="col">{s("number")}</th>
                <th scope="col">{s("method")}</th>
                <th scope="col">{s("queue")}</th>
                <th scope="col">{s("agent")}</th>
                <th scope="col">{s("outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {found.slice(0, 100).map((row) => (
                <tr key={row.id}>
                  <td>{row.started === null ? "—" : format.format(row.started)}</td>
                  <td>
                    <code>{row.id.slice(0, 8)}</code>
                  </td>
                  <td>{row.number ?? "—"}</td>
                  <td>{row.method}</td>
                  <td>{row.queue}</td>
                  <td>{row.agent ?? "—"}</td>
                  <td>{row.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {!found.length && <p>{s("noRecords")}</p>}
      </section>
    </>
  );
}
