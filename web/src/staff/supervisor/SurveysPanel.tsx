// "Survey results": the API's summary (overall, per queue, per agent) and the latest answers.

import { useI18n } from "../../i18n";
import { type GroupStats, QUESTIONS, type SurveySummary } from "../supervisorApi";
import { staffText, type StaffKey } from "../text";

export function SurveysPanel({ survey, notes }: { survey: SurveySummary | null; notes: Map<string, string> }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const format = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { dateStyle: "short", timeStyle: "medium" });
  const avg = (value: number | null) => (value === null ? "—" : value.toFixed(2));
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
  );
}
