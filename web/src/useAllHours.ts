// The site's hook for every department's hours of operation, fetched once and again when a period boundary
// passes (an opening or closing the API computed), or every five minutes for new overrides.

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, fetchHours } from "./api";
import { observeServerTime, useClock, useNow } from "./clock";
import type { SiteConfig } from "./config";
import { type Hours, statusAt } from "./time/schedule";

export interface DepartmentHours {
  hours: Hours | null;
  error: ApiError | null;
}

const REFRESH_MS = 5 * 60_000;

export function useAllHours(config: SiteConfig, fetcher: typeof fetch = fetch) {
  const [byId, setById] = useState<Record<string, DepartmentHours>>({});
  const [fetchedAt, setFetchedAt] = useState(0);
  const inFlight = useRef(false);
  const now = useNow();
  const clock = useClock();

  const load = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const results = await Promise.all(
      config.departments.map(async (d): Promise<[string, DepartmentHours]> => {
        try {
          const hours = await fetchHours(config.apiBase, d.hoursOfOperationId, fetcher);
          observeServerTime(hours.generatedAt);
          return [d.id, { hours, error: null }];
        } catch (error) {
          const problem = error instanceof ApiError ? error : new ApiError({ type: "network", title: String(error), status: 0 }, null);
          return [d.id, { hours: null, error: problem }];
        }
      }),
    );
    inFlight.current = false;
    setById((previous) => {
      const next = { ...previous };
      // Keep the last good schedule if a refresh fails: it still ticks correctly.
      for (const [id, result] of results) next[id] = result.hours || !previous[id]?.hours ? result : { ...previous[id], error: result.error };
      return next;
    });
    setFetchedAt(clock.now());
  }, [config, fetcher, clock]);

  useEffect(() => {
    void load();
  }, [load]);

  // Refresh when any department crosses an opening/closing, or on the periodic timer.
  const boundaries = Object.values(byId)
    .map((d) => (d.hours ? statusAt(d.hours, fetchedAt || now) : null))
    .flatMap((s) => (s ? [s.isOpen ? s.nextClose : s.nextOpen] : []))
    .filter((t): t is number => t !== null);
  const due = (fetchedAt > 0 && now - fetchedAt > REFRESH_MS) || boundaries.some((t) => t <= now && t > fetchedAt);
  useEffect(() => {
    if (due) void load();
  }, [due, load]);

  return { byId, reload: load };
}
