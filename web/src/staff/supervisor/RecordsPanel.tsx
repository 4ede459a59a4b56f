// "Contact records": the runtime's records locally (searchable by the customer's number), Connect's
// SearchContacts through the API on AWS (by queue; Connect has no number to search).

import { useState } from "react";
import { useI18n } from "../../i18n";
import type { QueueMetric } from "../supervisorApi";
import { staffText, type StaffKey } from "../text";

export interface RecordRow {
  id: string;
  started: number | null; // ms since the epoch
  number: string | null;
  method: string;
  queue: string;
  agent: string | null;
  outcome: string;
}

export function RecordsPanel({ rows, local, queues, queueFilter, onQueueFilter }: { rows: RecordRow[]; local: boolean; queues: QueueMetric[]; queueFilter: string; onQueueFilter: (queueId: string) => void }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const [query, setQuery] = useState("");
  const needle = query.trim().toLowerCase();
  const found = needle ? rows.filter((r) => [r.id, r.number ?? "", r.agent ?? "", r.queue].some((v) => v.toLowerCase().includes(needle))) : rows;
  const format = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { dateStyle: "short", timeStyle: "medium" });
  return (
    <section aria-labelledby="records" className="mt-5">
      <h2 className="title is-4" id="records">
        {s("records")}
      </h2>
      {!local && <p>{s("recordsAws")}</p>}
      <div className="field is-grouped is-grouped-multiline">
        {!local && (
          <div className="control">
            <label className="label" htmlFor="record-queue">
              {s("queue")}
            </label>
            <div className="select">
              <select id="record-queue" value={queueFilter} onChange={(e) => onQueueFilter(e.target.value)}>
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
            {s(local ? "search" : "filterAws")}
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
  );
}
