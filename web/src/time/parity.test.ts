// The browser's open/closed arithmetic must equal the API's: the fixture is generated from
// api/jam_api/hours/schedule.py (tests/e2e/test_site_schedule_parity.py keeps it current).
import { describe, expect, test } from "vitest";
import fixture from "./fixtures/api-status.json";
import { type Hours, statusAt } from "./schedule";

type Sample = [number, boolean, number | null, number | null];
const cases = fixture as unknown as Record<string, { hours: Pick<Hours, "timeZone" | "config" | "overrides">; samples: Sample[] }>;

describe("same answers as the API", () => {
  for (const [name, { hours, samples }] of Object.entries(cases)) {
    test(`${name} (${samples.length} instants across DST changes and holidays)`, () => {
      const differences = samples
        .map(([now, isOpen, nextOpen, nextClose]) => ({ now, want: { isOpen, nextOpen, nextClose }, got: statusAt(hours, now) }))
        .filter(({ want, got }) => want.isOpen !== got.isOpen || want.nextOpen !== got.nextOpen || want.nextClose !== got.nextClose)
        .map(({ now, want, got }) => `${new Date(now).toISOString()}: API ${JSON.stringify(want)} site ${JSON.stringify(got)}`);
      expect(differences).toEqual([]);
    });
  }
});
