import { describe, expect, test } from "vitest";
import { clockTime, daysAfter, duration } from "./format";
import { dayPlan, type Hours, type HoursOverride, statusAt, upcoming, week } from "./schedule";
import { instantOf, offsetAt } from "./zoned";

const NY = "America/New_York";
const H = 3600_000;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

const weekdays = (start: string, end: string) =>
  ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"].map((day) => ({ day, start, end }));

// Sales in sam/template.yaml: weekdays 08:00-20:00, Saturday 09:00-17:00, New York time.
const sales = (overrides: HoursOverride[] = []): Pick<Hours, "config" | "overrides" | "timeZone"> => ({
  timeZone: NY,
  config: [...weekdays("08:00", "20:00"), { day: "SATURDAY", start: "09:00", end: "17:00" }],
  overrides,
});

describe("wall time in a zone", () => {
  test("standard and daylight time", () => {
    expect(iso(instantOf({ year: 2026, month: 1, day: 15, hour: 8, minute: 0 }, NY))).toBe("2026-01-15T13:00:00.000Z");
    expect(iso(instantOf({ year: 2026, month: 7, day: 15, hour: 8, minute: 0 }, NY))).toBe("2026-07-15T12:00:00.000Z");
    expect(offsetAt(Date.UTC(2026, 0, 15), NY)).toBe(-5 * H);
  });

  test("a time in the spring gap is read with the offset before the change (as zoneinfo fold=0)", () => {
    // 2026-03-08 02:30 does not exist in New York; Python gives 02:30 EST = 07:30Z.
    expect(iso(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, NY))).toBe("2026-03-08T07:30:00.000Z");
    expect(iso(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Madrid"))).toBe("2026-03-29T01:30:00.000Z");
  });

  test("an ambiguous autumn time is its first occurrence", () => {
    expect(iso(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NY))).toBe("2026-11-01T05:30:00.000Z");
    // East of UTC too: Madrid's 02:30 happens first at 00:30Z (CEST), then at 01:30Z (CET).
    expect(iso(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, "Europe/Madrid"))).toBe("2026-10-25T00:30:00.000Z");
  });
});

describe("opening periods across DST", () => {
  test("an overnight period is an hour shorter in spring and longer in autumn", () => {
    const overnight = (day: string) => ({ timeZone: NY, overrides: [], config: [{ day, start: "22:00", end: "06:00" }] });
    const spring = dayPlan({ year: 2026, month: 3, day: 7 }, overnight("SATURDAY")).intervals;
    const autumn = dayPlan({ year: 2026, month: 10, day: 31 }, overnight("SATURDAY")).intervals;
    expect(spring[0][1] - spring[0][0]).toBe(7 * H);
    expect(autumn[0][1] - autumn[0][0]).toBe(9 * H);
  });

  test("the Monday after the change opens at 08:00 local, an hour earlier in UTC", () => {
    const before = statusAt(sales(), Date.parse("2026-03-07T23:00:00Z"));
    const after = statusAt(sales(), Date.parse("2026-03-14T23:00:00Z"));
    expect(iso(before.nextOpen)).toBe("2026-03-09T12:00:00.000Z");
    expect(iso(after.nextOpen)).toBe("2026-03-16T12:00:00.000Z");
    const winter = statusAt(sales(), Date.parse("2026-02-28T23:00:00Z"));
    expect(iso(winter.nextOpen)).toBe("2026-03-02T13:00:00.000Z");
  });

  test("00:00 to 00:00 is open the whole day (Connect's 24-hour day)", () => {
    const plan = dayPlan({ year: 2026, month: 11, day: 29 }, { timeZone: NY, overrides: [], config: [{ day: "SUNDAY", start: "00:00", end: "00:00" }] });
    expect(plan.intervals.map(([s, e]) => [iso(s), iso(e)])).toEqual([["2026-11-29T05:00:00.000Z", "2026-11-30T05:00:00.000Z"]]);
  });

  test("a period ending at 00:00 ends at midnight", () => {
    const plan = dayPlan({ year: 2026, month: 1, day: 5 }, { timeZone: NY, overrides: [], config: [{ day: "MONDAY", start: "18:00", end: "00:00" }] });
    expect(plan.intervals.map(([s, e]) => [iso(s), iso(e)])).toEqual([["2026-01-05T23:00:00.000Z", "2026-01-06T05:00:00.000Z"]]);
  });
});

describe("status", () => {
  test("open on Friday evening: closes at 20:00, opens Saturday 09:00", () => {
    const status = statusAt(sales(), Date.parse("2026-01-17T00:59:00Z")); // Fri 16 Jan 19:59 EST
    expect(status.isOpen).toBe(true);
    expect(iso(status.nextClose)).toBe("2026-01-17T01:00:00.000Z");
    expect(iso(status.nextOpen)).toBe("2026-01-17T14:00:00.000Z");
  });

  test("closed on Saturday after 17:00 until Monday 08:00", () => {
    const status = statusAt(sales(), Date.parse("2026-01-17T22:00:00Z"));
    expect(status.isOpen).toBe(false);
    expect(iso(status.nextOpen)).toBe("2026-01-19T13:00:00.000Z");
    expect(iso(status.nextClose)).toBe("2026-01-20T01:00:00.000Z");
  });

  test("no hours at all: closed with no next opening", () => {
    expect(statusAt({ timeZone: NY, config: [], overrides: [] }, Date.now())).toEqual({ isOpen: false, nextOpen: null, nextClose: null });
  });
});

describe("holiday overrides", () => {
  const christmas: HoursOverride = {
    name: "Christmas Day",
    type: "CLOSED",
    effectiveFrom: "2026-12-25",
    effectiveTill: "2026-12-25",
    config: [{ day: "FRIDAY", start: "00:00", end: "00:00" }],
  };
  const eve: HoursOverride = {
    name: "Christmas Eve",
    type: "STANDARD",
    effectiveFrom: "2026-12-24",
    effectiveTill: "2026-12-24",
    config: [{ day: "THURSDAY", start: "08:00", end: "13:00" }],
  };
  const sundaySale: HoursOverride = {
    name: "Boxing week",
    type: "OPEN",
    effectiveFrom: "2026-12-27",
    effectiveTill: "2026-12-27",
    config: [{ day: "SUNDAY", start: "10:00", end: "14:00" }],
  };

  test("a CLOSED override closes the whole day and moves the next opening", () => {
    const status = statusAt(sales([christmas]), Date.parse("2026-12-25T15:00:00Z")); // Fri 10:00
    expect(status.isOpen).toBe(false);
    expect(iso(status.nextOpen)).toBe("2026-12-26T14:00:00.000Z");
  });

  test("a STANDARD override replaces the day's hours", () => {
    const status = statusAt(sales([eve]), Date.parse("2026-12-24T17:00:00Z")); // Thu 12:00
    expect(iso(status.nextClose)).toBe("2026-12-24T18:00:00.000Z");
  });

  test("an OPEN override adds hours on a closed day", () => {
    const plan = dayPlan({ year: 2026, month: 12, day: 27 }, sales([sundaySale]));
    expect(plan.intervals.map(([s, e]) => [iso(s), iso(e)])).toEqual([["2026-12-27T15:00:00.000Z", "2026-12-27T19:00:00.000Z"]]);
    expect(plan.overrides.map((o) => o.name)).toEqual(["Boxing week"]);
  });

  test("the week table names the override on its day", () => {
    const days = week(sales([christmas, eve]), Date.parse("2026-12-23T15:00:00Z"));
    expect(days.map((d) => d.weekday)).toEqual(["WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY", "MONDAY", "TUESDAY"]);
    expect(days[1].overrides.map((o) => o.name)).toEqual(["Christmas Eve"]);
    expect(days[2].intervals).toEqual([]);
    expect(days[2].overrides[0].type).toBe("CLOSED");
    expect(days[4].intervals).toEqual([]); // Sundays are closed
  });

  test("upcoming drops periods already over", () => {
    const now = Date.parse("2026-01-15T20:00:00Z");
    expect(upcoming(sales(), now).every(([, end]) => end > now)).toBe(true);
  });
});

describe("what the customer reads", () => {
  test("New York 08:00 is 14:00 in Madrid, but 13:00 in the weeks the DST dates differ", () => {
    const winter = instantOf({ year: 2026, month: 1, day: 15, hour: 8, minute: 0 }, NY);
    const gap = instantOf({ year: 2026, month: 3, day: 16, hour: 8, minute: 0 }, NY);
    expect(clockTime(winter, "en", "Europe/Madrid")).toMatch(/^2:00\sPM$/);
    expect(clockTime(gap, "en", "Europe/Madrid")).toMatch(/^1:00\sPM$/);
  });

  test("an evening in New York can be the next day for the customer", () => {
    const close = instantOf({ year: 2026, month: 1, day: 15, hour: 20, minute: 0 }, NY);
    const open = instantOf({ year: 2026, month: 1, day: 15, hour: 8, minute: 0 }, NY);
    expect(daysAfter(close, open, "Asia/Tokyo")).toBe(1);
    expect(daysAfter(close, open, NY)).toBe(0);
  });

  test("durations are coarse when far and to the second when close", () => {
    expect(duration(2 * H + 10 * 60_000 + 59_000)).toBe("2 h 10 min");
    expect(duration(26 * H)).toBe("1 d 2 h");
    expect(duration(65_000)).toBe("1 min 05 s");
    expect(duration(-5)).toBe("0 min 00 s");
  });
});
