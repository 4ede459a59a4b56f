// Survey results summary for the supervisor: averages per question, per queue and per agent.
// Answers are the caller's DTMF digits; only 1-5 count toward an average (as the survey Lambda).

import type { ContactRecord } from "./desk";

export const QUESTIONS = ["Q1", "Q2", "Q3"] as const;

export interface Averages {
  responses: number;
  averages: Record<(typeof QUESTIONS)[number], number | null>;
}

function score(raw: string | undefined): number | null {
  return raw && /^[1-5]$/.test(raw.trim()) ? Number(raw.trim()) : null;
}

function averagesOf(records: ContactRecord[]): Averages {
  const averages = {} as Averages["averages"];
  for (const q of QUESTIONS) {
    const scores = records.map((r) => score(r.SurveyAnswers[q])).filter((s): s is number => s !== null);
    averages[q] = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null;
  }
  return { responses: records.length, averages };
}

function groupBy(records: ContactRecord[], key: (r: ContactRecord) => string): Record<string, Averages> {
  const groups: Record<string, ContactRecord[]> = {};
  for (const r of records) (groups[key(r)] ??= []).push(r);
  return Object.fromEntries(Object.entries(groups).map(([k, rs]) => [k, averagesOf(rs)]));
}

export function surveySummary(records: ContactRecord[], queueName: (id: string | null) => string) {
  const answered = records.filter((r) => QUESTIONS.some((q) => (r.SurveyAnswers?.[q] ?? "") !== ""));
  return {
    overall: averagesOf(answered),
    byQueue: groupBy(answered, (r) => queueName(r.QueueId)),
    byAgent: groupBy(answered, (r) => r.Agent ?? "—"),
    recent: [...answered].sort((a, b) => b.InitiationTimestamp - a.InitiationTimestamp).slice(0, 10),
  };
}
