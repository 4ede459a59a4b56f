// What the charts draw, computed from what the API and the runtime return.
//
// Queue depth and oldest wait: the API's GET /connect/metrics/queues is real-time only (Connect's
// GetCurrentMetricData), so the page keeps its own samples of the last hour, in sessionStorage (a
// reload keeps them; another tab or browser starts empty). Survey averages over time: grouped from
// the survey results the page can read (the runtime's contact records locally; on AWS the summary's
// recent results, which are few: the API returns no series).

import type { ContactRecord } from "../desk";
import { QUESTIONS, type Question, type SurveySummary } from "../supervisorApi";
import type { Series } from "./TimeChart";

export const HOUR_MS = 3_600_000;
const STORE_KEY = "supervisor:queue-history";

export interface QueueSample {
  at: number; // ms since the epoch
  queues: Record<string, { name: string; depth: number; oldest: number }>;
}

export function loadSamples(now: number): QueueSample[] {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? "[]") as QueueSample[];
    return Array.isArray(saved) ? saved.filter((s) => typeof s.at === "number" && now - s.at <= HOUR_MS) : [];
  } catch {
    return [];
  }
}

/** The samples with `next` added and anything older than an hour dropped (and saved). */
export function addSample(samples: QueueSample[], next: QueueSample): QueueSample[] {
  const kept = [...samples.filter((s) => next.at - s.at <= HOUR_MS && s.at < next.at), next];
  try {
    sessionStorage.setItem(STORE_KEY, JSON.stringify(kept));
  } catch {
    // storage full or blocked: the history lives for this page only
  }
  return kept;
}

export function queueSeries(samples: QueueSample[], pick: "depth" | "oldest"): Series[] {
  const names = new Map<string, string>();
  for (const sample of samples) for (const [id, q] of Object.entries(sample.queues)) names.set(id, q.name);
  return [...names.entries()]
    .sort((a, b) => a[1].localeCompare(b[1]))
    .map(([id, name]) => ({ label: name, points: samples.map((s) => [s.at, s.queues[id] ? s.queues[id][pick] : null] as [number, number | null]) }));
}

export interface SurveyPoint {
  at: number; // ms
  queue: string;
  agent: string;
  answers: Partial<Record<Question, number>>;
}

const score = (raw: string | undefined): number | undefined => {
  const value = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(value) ? value : undefined;
};

function answersOf(source: Partial<Record<Question, string>>): Partial<Record<Question, number>> {
  const answers: Partial<Record<Question, number>> = {};
  for (const q of QUESTIONS) {
    const value = score(source[q]);
    if (value !== undefined) answers[q] = value;
  }
  return answers;
}

export function surveyPointsFromRecords(records: ContactRecord[], queueName: (id: string | null) => string): SurveyPoint[] {
  return records
    .filter((r) => r.SurveyAnswers && Object.keys(r.SurveyAnswers).length)
    .map((r) => ({ at: (r.DisconnectTimestamp ?? r.InitiationTimestamp) * 1000, queue: queueName(r.QueueId), agent: r.Agent ?? "—", answers: answersOf(r.SurveyAnswers as Partial<Record<Question, string>>) }));
}

export function surveyPointsFromSummary(summary: SurveySummary | null): SurveyPoint[] {
  return (summary?.recent ?? []).map((r) => ({ at: Date.parse(r.RecordedAt), queue: r.QueueName || "—", agent: r.AgentUserName || "—", answers: answersOf(r) }));
}

/** A bucket about a twelfth of the span, in whole minutes, hours or days. */
export function bucketSize(spanMs: number): number {
  const target = spanMs / 12;
  for (const size of [60_000, 300_000, 900_000, 3_600_000, 4 * 3_600_000, 86_400_000]) if (target <= size) return size;
  return 7 * 86_400_000;
}

/** Average of `question` per group ("queue" or "agent") and time bucket. */
export function surveySeries(points: SurveyPoint[], by: "queue" | "agent", question: Question): Series[] {
  const answered = points.filter((p) => p.answers[question] !== undefined);
  if (!answered.length) return [];
  const times = answered.map((p) => p.at);
  const size = bucketSize(Math.max(...times) - Math.min(...times));
  const groups = new Map<string, Map<number, { sum: number; count: number }>>();
  for (const p of answered) {
    const bucket = Math.floor(p.at / size) * size;
    const group = groups.get(p[by]) ?? new Map();
    const cell = group.get(bucket) ?? { sum: 0, count: 0 };
    cell.sum += p.answers[question]!;
    cell.count += 1;
    group.set(bucket, cell);
    groups.set(p[by], group);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([label, cells]) => ({ label, points: [...cells.entries()].sort((a, b) => a[0] - b[0]).map(([t, c]) => [t, Math.round((c.sum / c.count) * 100) / 100] as [number, number]) }));
}
