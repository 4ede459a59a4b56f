import { afterEach, expect, test } from "vitest";
import { addSample, bucketSize, HOUR_MS, loadSamples, queueSeries, type SurveyPoint, surveySeries } from "./history";

afterEach(() => sessionStorage.clear());

const sample = (at: number, depth: number) => ({ at, queues: { q1: { name: "Sales", depth, oldest: depth * 10 } } });

test("the queue history keeps one hour, survives a reload (sessionStorage) and drops what is older", () => {
  const t0 = Date.parse("2026-01-05T20:00:00Z");
  let kept = addSample([], sample(t0, 1));
  kept = addSample(kept, sample(t0 + 30 * 60_000, 2));
  expect(loadSamples(t0 + 30 * 60_000)).toHaveLength(2);
  kept = addSample(kept, sample(t0 + HOUR_MS + 1, 3));
  expect(kept.map((s) => s.queues.q1.depth)).toEqual([2, 3]);
  expect(loadSamples(t0 + 2 * HOUR_MS + 10)).toEqual([]);
  expect(queueSeries(kept, "oldest")).toEqual([{ label: "Sales", points: [[t0 + 30 * 60_000, 20], [t0 + HOUR_MS + 1, 30]] }]);
});

test("a queue that appears later has no points before it (a gap, not a zero)", () => {
  const kept = [sample(1000, 1), { at: 2000, queues: { ...sample(2000, 2).queues, q2: { name: "Accounts", depth: 5, oldest: 0 } } }];
  expect(queueSeries(kept, "depth")).toEqual([
    { label: "Accounts", points: [[1000, null], [2000, 5]] },
    { label: "Sales", points: [[1000, 1], [2000, 2]] },
  ]);
});

test("survey averages per group and time bucket, only where the question was answered", () => {
  const at = Date.parse("2026-01-05T20:00:00Z");
  const points: SurveyPoint[] = [
    { at, queue: "Sales", agent: "a", answers: { Q1: 5 } },
    { at: at + 60_000, queue: "Sales", agent: "b", answers: { Q1: 4, Q2: 2 } },
    { at: at + 3 * HOUR_MS, queue: "Sales", agent: "a", answers: { Q1: 1 } },
    { at: at + 3 * HOUR_MS, queue: "Support", agent: "a", answers: { Q2: 3 } },
  ];
  const size = bucketSize(3 * HOUR_MS);
  expect(size).toBe(900_000);
  expect(surveySeries(points, "queue", "Q1")).toEqual([{ label: "Sales", points: [[at, 4.5], [at + 3 * HOUR_MS, 1]] }]);
  expect(surveySeries(points, "agent", "Q2").map((s) => s.label)).toEqual(["a", "b"]);
  expect(surveySeries([], "agent", "Q3")).toEqual([]);
});
