// The supervisor's API routes (supervisor group only; the ID token as Bearer, like click-to-call).
// The same calls in both modes: on AWS the API reads Amazon Connect and DynamoDB, on the local stack
// the Connect twin and the Lambdas' SQLite file.

import { call } from "../api";

export interface QueueMetric {
  queueId: string;
  name: string;
  contactsInQueue: number;
  oldestContactAgeSeconds: number;
  agentsOnline: number;
  agentsAvailable: number;
  agentsOnContact: number;
  agentsAfterContactWork: number;
}

export interface QueueMetrics {
  queues: QueueMetric[];
  dataSnapshotTime: string | null;
}

export const QUESTIONS = ["Q1", "Q2", "Q3"] as const;
export type Question = (typeof QUESTIONS)[number];

export interface QuestionStats {
  valid: number;
  invalid: number;
  missing: number;
  average: number | null;
}

export interface GroupStats {
  count: number;
  questions: Record<Question, QuestionStats>;
}

/** A stored survey result (the SurveyResults item): raw answers with their status. */
export interface SurveyResult extends Record<Question, string> {
  ContactId: string;
  RecordedAt: string;
  QueueName: string;
  AgentUserName: string;
  LanguageCode?: string;
}

export interface SurveySummary extends GroupStats {
  queues: Record<string, GroupStats>;
  agents: Record<string, GroupStats>;
  recent: SurveyResult[];
  limit: number;
  complete: boolean; // false: more results were stored than the summary read (`limit`)
}

const bearer = (idToken: string): RequestInit => ({ headers: { Authorization: `Bearer ${idToken}` } });

export function fetchQueueMetrics(apiBase: string, idToken: string, fetcher: typeof fetch = fetch): Promise<QueueMetrics> {
  return call<QueueMetrics>(`${apiBase}/connect/metrics/queues`, bearer(idToken), fetcher);
}

export function fetchSurveySummary(apiBase: string, idToken: string, fetcher: typeof fetch = fetch): Promise<SurveySummary> {
  return call<SurveySummary>(`${apiBase}/surveys/summary`, bearer(idToken), fetcher);
}

/** A contact from GET /connect/contacts/search (Connect's SearchContacts; no customer number). */
export interface FoundContact {
  contactId: string;
  initialContactId: string | null;
  previousContactId: string | null;
  initiationMethod: string | null;
  channel: string | null;
  queueId: string | null;
  queueName: string | null;
  agentId: string | null;
  initiatedAt: string | null;
  enqueuedAt: string | null;
  connectedToAgentAt: string | null;
  disconnectedAt: string | null;
}

export interface ContactSearch {
  contacts: FoundContact[];
  totalCount: number | null;
  from: string;
  to: string;
}

export interface SearchCriteria {
  from?: string; // ISO 8601 with offset; the API's default window is the last 24 hours
  to?: string;
  queueId?: string;
  agentId?: string;
  limit?: number;
}

export function searchContacts(apiBase: string, idToken: string, criteria: SearchCriteria = {}, fetcher: typeof fetch = fetch): Promise<ContactSearch> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(criteria)) if (value !== undefined && value !== "") query.set(name, String(value));
  const suffix = query.toString() ? `?${query}` : "";
  return call<ContactSearch>(`${apiBase}/connect/contacts/search${suffix}`, bearer(idToken), fetcher);
}
