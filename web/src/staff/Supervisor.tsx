// Supervisor: queues and agents live (polled every two seconds), survey results summary, and a
// contact records search, from the local runtime.

import { useEffect, useMemo, useState } from "react";
import type { SiteConfig } from "../config";
import { useI18n } from "../i18n";
import { useSession } from "../session";
import { duration } from "../time/format";
import { type AgentView, type ContactRecord, DeskError, LocalDesk, type QueueMetrics } from "./desk";
import { QUESTIONS, surveySummary } from "./survey";
import { staffText, type StaffKey } from "./text";

const LIVE_MS = 2000;
const RECORDS_MS = 10_000;

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
        if (!stopped) setError(caught instanceof DeskError ? caught.message : String(caught));
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
  const desk = useMemo(() => (config.localRuntime ? new LocalDesk(config.localRuntime, fetcher) : null), [config.localRuntime, fetcher]);
  const live = useMemo(() => (allowed && desk ? () => Promise.all([desk.queues(), desk.agents()]) : null), [allowed, desk]);
  const history = useMemo(() => (allowed && desk ? () => desk.contacts(1000) : null), [allowed, desk]);
  const { data: now, error: liveError } = usePolling(live, LIVE_MS);
  const { data: records, error: recordsError } = usePolling(history, RECORDS_MS);
  const [query, setQuery] = useState("");

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
  if (!desk) {
    return (
      <>
        {heading}
        <p className="notification is-warning is-light">{s("awsCcp")}</p>
      </>
    );
  }

  const queues: QueueMetrics[] = now?.[0].queues ?? [];
  const agents = (now?.[1].agents ?? []) as Pick<AgentView, "username" | "name" | "state" | "stateSince">[];
  const queueName = (id: string | null) => queues.find((q) => q.id === id)?.name ?? id ?? "—";
  const contacts: ContactRecord[] = records?.contacts ?? [];
  const survey = surveySummary(contacts, queueName);
  const needle = query.trim().toLowerCase();
  const found = needle
    ? contacts.filter((c) => [c.ContactId, c.CustomerEndpoint, c.Agent ?? "", queueName(c.QueueId)].some((v) => v.toLowerCase().includes(needle)))
    : contacts;
  const time = (epoch: number) => new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { dateStyle: "short", timeStyle: "medium" }).format(epoch * 1000);
  const avg = (value: number | null) => (value === null ? "—" : value.toFixed(2));

  return (
    <>
      {heading}
      {(liveError || recordsError) && (
        <p className="notification is-danger is-light" role="alert">
          {s("error", { detail: liveError ?? recordsError ?? "" })}
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
                <th scope="col">{s("available")}</th>
                <th scope="col">{s("onContactCount")}</th>
                <th scope="col">{s("acwCount")}</th>
                <th scope="col">{s("estimatedWait")}</th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.id}>
                  <th scope="row">{q.name}</th>
                  <td>{q.CONTACTS_IN_QUEUE}</td>
                  <td>{q.CONTACTS_IN_QUEUE ? duration(q.OLDEST_CONTACT_AGE * 1000) : "—"}</td>
                  <td>{q.AGENTS_AVAILABLE}</td>
                  <td>{q.AGENTS_ON_CONTACT}</td>
                  <td>{q.AGENTS_AFTER_CONTACT_WORK}</td>
                  <td>{q.ESTIMATED_WAIT_TIME === null ? "—" : duration(q.ESTIMATED_WAIT_TIME * 1000)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
      </section>

      <section aria-labelledby="surveys" className="mt-5">
        <h2 className="title is-4" id="surveys">
          {s("surveys")}
        </h2>
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
            <tr>
              <th scope="row">{s("overall")}</th>
              <td>{survey.overall.responses}</td>
              {QUESTIONS.map((q) => (
                <td key={q}>{avg(survey.overall.averages[q])}</td>
              ))}
            </tr>
            {(
              [
                ["perQueue", survey.byQueue],
                ["perAgent", survey.byAgent],
              ] as const
            ).flatMap(([label, groups]) =>
              Object.entries(groups).map(([name, a]) => (
                <tr key={`${label}-${name}`}>
                  <th scope="row">
                    {s(label)}: {name}
                  </th>
                  <td>{a.responses}</td>
                  {QUESTIONS.map((q) => (
                    <td key={q}>{avg(a.averages[q])}</td>
                  ))}
                </tr>
              )),
            )}
          </tbody>
        </table>
        <h3 className="title is-5">{s("recent")}</h3>
        {!survey.recent.length && <p>{s("noSurveys")}</p>}
        <ul data-testid="survey-recent">
          {survey.recent.map((r) => (
            <li key={r.ContactId}>
              {time(r.InitiationTimestamp)} · {queueName(r.QueueId)} · {r.Agent ?? "—"} · {QUESTIONS.map((q) => `${q}=${r.SurveyAnswers[q] || "–"}`).join(" ")}
              {r.Attributes?.note ? ` · ${s("comment")}: “${r.Attributes.note}”` : ""}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="records" className="mt-5">
        <h2 className="title is-4" id="records">
          {s("records")}
        </h2>
        <div className="field">
          <label className="label" htmlFor="record-search">
            {s("search")}
          </label>
          <input id="record-search" className="input" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
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
              {found.slice(0, 100).map((c) => (
                <tr key={c.ContactId}>
                  <td>{time(c.InitiationTimestamp)}</td>
                  <td>
                    <code>{c.ContactId.slice(0, 8)}</code>
                  </td>
                  <td>{c.CustomerEndpoint}</td>
                  <td>{c.InitiationMethod}</td>
                  <td>{queueName(c.QueueId)}</td>
                  <td>{c.Agent ?? "—"}</td>
                  <td>{c.State === "DISCONNECTED" ? (c.DisconnectReason ?? "—") : c.State}</td>
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
