// "Queues now": the API's real-time queue metrics, their last hour as charts (kept by the page), and
// (local only) the runtime's agents, with anyone who missed an offer marked.

import { useI18n } from "../../i18n";
import { duration } from "../../time/format";
import type { AgentView } from "../desk";
import { agentStateLabel } from "../labels";
import type { QueueMetric } from "../supervisorApi";
import { clockText } from "../desk/timers";
import { staffText, type StaffKey } from "../text";
import { type QueueSample, queueSeries } from "./history";
import { TimeChart } from "./TimeChart";


export type AgentRow = Pick<AgentView, "username" | "name" | "state" | "stateSince">;

export function QueuesPanel({ queues, agents, samples }: { queues: QueueMetric[]; agents: AgentRow[] | null; samples: QueueSample[] }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const clock = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { timeStyle: "medium" });
  const chartText = { emptyText: s("chartEmpty"), tableLabel: s("chartTable"), timeLabel: s("time"), timeFormat: (ms: number) => clock.format(ms) };
  return (
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
      <div className="columns">
          <div className="column is-half">
            <TimeChart id="chart-depth" title={s("queueDepthChart")} series={queueSeries(samples, "depth")} format={(v) => String(Math.round(v))} whole {...chartText} />
          </div>
          <div className="column is-half">
            <TimeChart id="chart-oldest" title={s("oldestWaitChart")} series={queueSeries(samples, "oldest")} format={(v) => duration(v * 1000)} axisFormat={clockText} {...chartText} />
          </div>
      </div>
      <p className="help mb-4">{s("historyNote")}</p>
      {agents && (
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
                <tr key={a.username} className={a.state === "Missed" ? "is-missed" : undefined} data-missed={a.state === "Missed" ? "true" : undefined}>
                  <th scope="row">
                    {a.name} <span className="has-text-grey">({a.username})</span>
                  </th>
                  <td>
                    {a.state === "Missed" ? (
                      <>
                        <span className="tag is-danger">{agentStateLabel(a.state, lang)}</span> {s("missedAgent")}
                      </>
                    ) : (
                      agentStateLabel(a.state, lang)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
