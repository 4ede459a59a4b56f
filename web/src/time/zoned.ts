// Wall-clock time in an IANA zone <-> instants, with the browser's own tz database (Intl).
// Works on concrete dates, so DST transitions are handled by the database rather than by hand.

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `zone` at `instant` (ms since the epoch). */
function wallTimeAt(instant: number, zone: string): WallTime & { second: number } {
  const values: Record<string, number> = {};
  for (const part of partsFormatter(zone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") values[part.type] = Number(part.value);
  }
  return {
    year: values.year,
    month: values.month,
    day: values.day,
    hour: values.hour % 24,
    minute: values.minute,
    second: values.second,
  };
}

/** UTC offset of `zone` at `instant`, in milliseconds (New York in winter: -5 h). */
export function offsetAt(instant: number, zone: string): number {
  const w = wallTimeAt(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `zone`, resolved like Python's zoneinfo with fold=0
 * (what the API does): an ambiguous time (autumn) is its first occurrence, a time that does not
 * exist (spring gap) is read with the offset in force before the change.
 */
export function instantOf(wall: WallTime, zone: string): number {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // The offsets in force a day either side cover both sides of any change near this time.
  const offsets = [...new Set([-DAY_MS, 0, DAY_MS].map((shift) => offsetAt(guess + shift, zone)))];
  const exact = offsets
    .map((offset) => guess - offset)
    .filter((t) => {
      const w = wallTimeAt(t, zone);
      return w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute;
    });
  if (exact.length) return Math.min(...exact);
  // In the gap: the offset before a spring change is the smaller one.
  return guess - Math.min(...offsets);
}

export function localDateAt(instant: number, zone: string): LocalDate {
  const w = wallTimeAt(instant, zone);
  return { year: w.year, month: w.month, day: w.day };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function isoDate(date: LocalDate): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

export function parseIsoDate(value: string): LocalDate {
  const [year, month, day] = value.slice(0, 10).split("-").map(Number);
  return { year, month, day };
}

export const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
export type Day = (typeof DAYS)[number];

export function weekdayOf(date: LocalDate): Day {
  const sundayFirst = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return DAYS[(sundayFirst + 6) % 7];
}

/** The browser's own zone (the customer's), e.g. "Europe/Madrid". */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
