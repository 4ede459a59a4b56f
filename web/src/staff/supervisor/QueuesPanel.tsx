// "Queues now": the API's real-time queue metrics, and (local only) the runtime's agents.

import { useI18n } from "../../i18n";
import { duration } from "../../time/format";
import type { AgentView } from "../desk";
import type { QueueMetric } from "../supervisorApi";
import { staffText, type StaffKey } from "../text";

export type AgentRow = Pick<AgentView, "username" | "name" | "state" | "stateSince">;

export function QueuesPanel({ queues, agents }: { queues: QueueMetric[]; agents: AgentRow[] | null }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
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
  );
}
