// "Survey results": the API's summary (overall, per queue, per agent) with each question named, the
// averages over time per queue or agent as a chart, and the latest answers.

import { useState } from "react";
import { useI18n } from "../../i18n";
import { type GroupStats, QUESTIONS, type Question, type SurveySummary } from "../supervisorApi";
import { staffText, type StaffKey } from "../text";
import { type SurveyPoint, surveySeries } from "./history";
import { TimeChart } from "./TimeChart";


export function SurveysPanel({ survey, notes, points, local }: { survey: SurveySummary | null; notes: Map<string, string>; points: SurveyPoint[]; local: boolean }) {
  const { lang } = useI18n();
  const s = (key: StaffKey, vars?: Record<string, string | number>) => staffText(lang, key, vars);
  const [by, setBy] = useState<"queue" | "agent">("queue");
  const [question, setQuestion] = useState<Question>("Q1");
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
  const series = surveySeries(points, by, question);
  return (
    <section aria-labelledby="surveys" className="mt-5">
      <h2 className="title is-4" id="surveys">
        {s("surveys")}
      </h2>
      {survey && !survey.complete && <p className="notification is-warning is-light">{s("surveysPartial", { limit: survey.limit })}</p>}
      <div className="table-container">
        <table className="table is-fullwidth" data-testid="survey-summary">
          <thead>
            <tr>
              <td />
              <th scope="col">{s("responses")}</th>
              {QUESTIONS.map((q) => (
                <th scope="col" key={q}>
                  {s(q)}
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
      </div>

      <h3 className="title is-5">{s("surveyTrend")}</h3>
      <div className="field is-grouped is-grouped-multiline">
        <fieldset className="control">
          <legend className="label">{s("surveyTrendBy")}</legend>
          <div className="radio-list">
            <label className="radio">
              <input type="radio" name="survey-by" checked={by === "queue"} onChange={() => setBy("queue")} /> {s("perQueue")}
            </label>
            <label className="radio">
              <input type="radio" name="survey-by" checked={by === "agent"} onChange={() => setBy("agent")} /> {s("perAgent")}
            </label>
          </div>
        </fieldset>
        <div className="control">
          <label className="label" htmlFor="survey-question">
            {s("question")}
          </label>
          <div className="select">
            <select id="survey-question" value={question} onChange={(e) => setQuestion(e.target.value as Question)}>
              {QUESTIONS.map((q) => (
                <option key={q} value={q}>
                  {s(q)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
        <TimeChart
          id="chart-survey"
          title={`${s(question)} · ${s(by === "queue" ? "perQueue" : "perAgent")}`}
          series={series}
          format={(v) => v.toFixed(2)}
          timeFormat={(ms) => format.format(ms)}
          emptyText={s("noSurveyTrend")}
          tableLabel={s("chartTable")}
          timeLabel={s("time")}
        />
      <p className="help mb-4">{s(local ? "surveyTrendLocal" : "surveyTrendAws")}</p>

      <h3 className="title is-5">{s("recent")}</h3>
      {survey && !survey.recent.length && <p>{s("noSurveys")}</p>}
      <ul data-testid="survey-recent">
        {(survey?.recent ?? []).map((r) => (
          <li key={r.ContactId}>
            {format.format(new Date(r.RecordedAt))} · {r.QueueName || "—"} · {r.AgentUserName || "—"} · {QUESTIONS.map((q) => `${s(q)}: ${r[q] || "–"}`).join("; ")}
            {notes.get(r.ContactId) ? ` · ${s("comment")}: “${notes.get(r.ContactId)}”` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}
