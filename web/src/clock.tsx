// One clock for the whole page: the browser's time, corrected by the API's clock when they
// disagree (a customer's PC that is five minutes off must not show the wrong countdown).

import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

export interface Clock {
  now: () => number;
}

let skew = 0;

/** Call with the server's `generatedAt` as a response arrives; ignored under two seconds. */
export function observeServerTime(serverIso: string, receivedAt = Date.now()): void {
  const server = Date.parse(serverIso);
  if (Number.isNaN(server)) return;
  const difference = server - receivedAt;
  skew = Math.abs(difference) > 2000 ? difference : 0;
}

const systemClock: Clock = { now: () => Date.now() + skew };

const ClockContext = createContext<Clock>(systemClock);

export function ClockProvider({ clock, children }: { clock: Clock; children: ReactNode }) {
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}

export function useClock(): Clock {
  return useContext(ClockContext);
}

/** The current time, re-rendering on every second boundary. */
export function useNow(): number {
  const clock = useClock();
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const current = clock.now();
      setNow(current);
      timer = setTimeout(tick, 1000 - (current % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [clock]);
  return now;
}
