// "Contact records": the runtime's records locally (searchable by the customer's number), Connect's
// SearchContacts through the API on AWS (by queue; Connect has no number to search).

import { useEffect, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import { dispositionLabel } from "../labels";
import { QUESTIONS, type Question, type QueueMetric } from "../supervisorApi";
import { staffText, type StaffKey } from "../text";

export interface RecordDetails {
  attributes: Record<string, string> | null; // null: the source has none to give (Connect's search)
  survey: Record<string, string> | null;
  timeline: { text: string; at: number }[]; // ms since the epoch
}

export interface RecordRow {
  id: string;
  started: number | null; // ms since the epoch
  number: string | null;
  method: string;
  queue: string;
  agent: string | null;
  outcome: string;
  details: RecordDetails;
}

function Details({ row, onClose }: { row: RecordRow; onClose: () => void }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [row.id]);
  const format = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { dateStyle: "short", timeStyle: "medium" });
  const { attributes, survey, timeline } = row.details;
  // The agent's wrap-up reads as words; every other attribute as it was set.
  const shown = (name: string, value: string) => (name === "DispositionCode" ? dispositionLabel(value, lang) : value);
  return (
    <section className="box record-details" aria-labelledby="record-details-title" data-testid="record-details">
      <div className="level-row">
        <h3 className="title is-5" id="record-details-title" tabIndex={-1} ref={heading}>
          {s("openDetails", { id: row.id })}
        </h3>
        <button type="button" className="button is-small" onClick={onClose}>
          {s("closeDetails")}
        </button>
      </div>
      <div className="columns">
        <div className="column">
          <h4 className="title is-6">{s("timeline")}</h4>
          <ol className="timeline" data-testid="record-timeline">
            {timeline.map((step) => (
              <li key={step.text}>
                <time dateTime={new Date(step.at).toISOString()}>{format.format(step.at)}</time> {step.text}
              </li>
            ))}
          </ol>
        </div>
        <div className="column">
          <h4 className="title is-6">{s("surveyAnswers")}</h4>
          {survey === null ? (
            <p>{s("attributesAws")}</p>
          ) : Object.keys(survey).length ? (
            <dl className="pop-fields" data-testid="record-survey">
              {Object.entries(survey).map(([q, answer]) => (
                <div className="summary-row" key={q}>
                  <dt>{(QUESTIONS as readonly string[]).includes(q) ? s(q as Question) : q}</dt>
                  <dd>{answer}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p>{s("noSurveyAnswers")}</p>
          )}
        </div>
      </div>
      <h4 className="title is-6">{s("attributes")}</h4>
      {attributes === null ? (
        <p>{s("attributesAws")}</p>
      ) : Object.keys(attributes).length ? (
        <dl className="pop-fields" data-testid="record-attributes">
          {Object.entries(attributes)
            .sort((a, b) => a[0].localeCompare(b[0]))
            .map(([name, value]) => (
              <div className="summary-row" key={name}>
                <dt>{name}</dt>
                <dd>{shown(name, value)}</dd>
              </div>
            ))}
        </dl>
      ) : (
        <p>{s("noAttributes")}</p>
      )}
    </section>
  );
}

export function RecordsPanel({ rows, local, queues, queueFilter, onQueueFilter }: { rows: RecordRow[]; local: boolean; queues: QueueMetric[]; queueFilter: string; onQueueFilter: (queueId: string) => void }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const [query, setQuery] = useState("");
  const [openId, setOpenId] = useState<string | null>(null);
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
              <tr key={row.id} className={`is-clickable${row.id === openId ? " is-open" : ""}`} onClick={() => setOpenId(row.id)}>
                <td>{row.started === null ? "—" : format.format(row.started)}</td>
                <td>
                  {/* The row opens on a click; the button is the way in by keyboard and for screen readers. */}
                  <button type="button" className="button is-small is-text" aria-label={s("openDetails", { id: row.id })} aria-expanded={row.id === openId} onClick={() => setOpenId(row.id)}>
                    <code>{row.id.slice(0, 8)}</code>
                  </button>
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
      {(() => {
        const open = rows.find((r) => r.id === openId);
        return open ? <Details row={open} onClose={() => setOpenId(null)} /> : null;
      })()}
    </section>
  );
}
