// Open/closed arithmetic for an Amazon Connect hours of operation, the same rules as the API
// (api/jam_api/hours/schedule.py): a period ending 00:00 ends at midnight, one ending before it
// starts runs into the next day, start == end is a whole day; overrides STANDARD replace the
// day's hours, OPEN add hours, CLOSED remove them (start == end: the whole day).

import { addDays, DAYS, type Day, instantOf, isoDate, type LocalDate, localDateAt, parseIsoDate, weekdayOf } from "./zoned";

export interface Slice {
  day: Day | string;
  start: string; // "08:00"
  end: string;
}

export interface HoursOverride {
  name: string;
  type: "STANDARD" | "OPEN" | "CLOSED" | string;
  effectiveFrom: string; // "2026-12-25"
  effectiveTill: string;
  config: Slice[];
}

export interface Hours {
  hoursOfOperationId: string;
  name: string;
  timeZone: string;
  config: Slice[];
  overrides: HoursOverride[];
  isOpen: boolean;
  currentPeriodEnds: string | null;
  nextOpen: string | null;
  nextClose: string | null;
  generatedAt: string;
}

export type Interval = [number, number]; // instants, ms

export interface Status {
  isOpen: boolean;
  nextOpen: number | null;
  nextClose: number | null;
}

const HORIZON_DAYS = 21;

function hm(value: string): [number, number] {
  const [h, m] = value.split(":").map(Number);
  return [h, m];
}

function minutes(value: string): number {
  const [h, m] = hm(value);
  return h * 60 + m;
}

function wholeDay(slice: Slice): boolean {
  return minutes(slice.start) === minutes(slice.end);
}

function at(date: LocalDate, time: string, zone: string): number {
  const [hour, minute] = hm(time);
  return instantOf({ ...date, hour, minute }, zone);
}

function interval(date: LocalDate, slice: Slice, zone: string): Interval {
  const endDate = minutes(slice.end) > minutes(slice.start) ? date : addDays(date, 1);
  return [at(date, slice.start, zone), at(endDate, slice.end, zone)];
}

function covers(override: HoursOverride, date: LocalDate): boolean {
  const day = isoDate(date);
  return override.effectiveFrom.slice(0, 10) <= day && day <= override.effectiveTill.slice(0, 10);
}

function subtract(intervals: Interval[], cut: Interval): Interval[] {
  const out: Interval[] = [];
  for (const [start, end] of intervals) {
    if (end <= cut[0] || start >= cut[1]) {
      out.push([start, end]);
      continue;
    }
    if (start < cut[0]) out.push([start, cut[0]]);
    if (end > cut[1]) out.push([cut[1], end]);
  }
  return out;
}

function merge(intervals: Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

export interface DayPlan {
  date: LocalDate;
  weekday: Day;
  intervals: Interval[];
  overrides: HoursOverride[]; // the overrides that changed this day
}

// Plans are pure functions of (schedule, date) and the page asks for them every second: keep
// them per schedule object (a new API answer is a new object, so nothing goes stale).
const plans = new WeakMap<object, Map<string, DayPlan>>();

/** The opening periods that start on `date` (a date in the center's zone). */
export function dayPlan(date: LocalDate, hours: Pick<Hours, "config" | "overrides" | "timeZone">): DayPlan {
  let known = plans.get(hours);
  if (!known) plans.set(hours, (known = new Map()));
  const key = isoDate(date);
  let plan = known.get(key);
  if (!plan) known.set(key, (plan = computeDayPlan(date, hours)));
  return plan;
}

function computeDayPlan(date: LocalDate, hours: Pick<Hours, "config" | "overrides" | "timeZone">): DayPlan {
  const zone = hours.timeZone;
  const weekday = weekdayOf(date);
  const active = hours.overrides.filter((o) => covers(o, date));
  const replacing = active.filter((o) => o.type === "STANDARD");
  let standard = hours.config.filter((s) => s.day === weekday);
  if (replacing.length) standard = replacing.flatMap((o) => o.config.filter((s) => s.day === weekday));
  // start == end is a 24-hour period (Connect: 12:00 AM to 12:00 AM is open all day).
  let intervals = standard.map((s) => interval(date, s, zone));
  for (const o of active.filter((o) => o.type === "OPEN")) {
    intervals.push(...o.config.filter((s) => s.day === weekday).map((s) => interval(date, s, zone)));
  }
  for (const o of active.filter((o) => o.type === "CLOSED")) {
    for (const s of o.config.filter((s) => s.day === weekday)) {
      const cut: Interval = wholeDay(s) ? [at(date, "00:00", zone), at(addDays(date, 1), "00:00", zone)] : interval(date, s, zone);
      intervals = subtract(intervals, cut);
    }
  }
  return { date, weekday, intervals: merge(intervals), overrides: active };
}

/** Opening periods from the day before `now` (one may still be running) to the horizon. */
export function upcoming(hours: Pick<Hours, "config" | "overrides" | "timeZone">, now: number, days = HORIZON_DAYS): Interval[] {
  const today = localDateAt(now, hours.timeZone);
  const all: Interval[] = [];
  for (let offset = -1; offset <= days; offset++) all.push(...dayPlan(addDays(today, offset), hours).intervals);
  return merge(all).filter(([, end]) => end > now);
}

export function statusAt(hours: Pick<Hours, "config" | "overrides" | "timeZone">, now: number): Status {
  const periods = upcoming(hours, now);
  const current = periods.find(([start, end]) => start <= now && now < end);
  if (current) {
    const later = periods.find(([start]) => start >= current[1]);
    return { isOpen: true, nextClose: current[1], nextOpen: later ? later[0] : null };
  }
  const next = periods.find(([start]) => start > now);
  return { isOpen: false, nextOpen: next ? next[0] : null, nextClose: next ? next[1] : null };
}

/** Seven days from today (center's calendar) for the week table. */
export function week(hours: Pick<Hours, "config" | "overrides" | "timeZone">, now: number): DayPlan[] {
  const today = localDateAt(now, hours.timeZone);
  return Array.from({ length: 7 }, (_, i) => dayPlan(addDays(today, i), hours));
}

export { DAYS, parseIsoDate };
