// Render a page with the providers the app gives it: language, route, session and a clock.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { type Clock, ClockProvider } from "../clock";
import type { SiteConfig } from "../config";
import { I18nProvider } from "../i18n";
import { RouterProvider } from "../router";
import { type Session, SessionProvider, signedOut } from "../session";
import type { Hours } from "../time/schedule";
import type { Lang } from "../time/format";

export const config: SiteConfig = {
  mode: "local",
  apiBase: "http://stack.test/api",
  auth: {
    authority: "http://stack.test/cognito",
    clientId: "client-1",
    scope: "openid",
    hostedUiDomain: "http://stack.test/cognito",
    userPoolsApi: "http://stack.test/cognito/",
  },
  webIngressContactFlowId: "flow-web",
  localRuntime: "http://stack.test/local",
  departments: [
    {
      id: "sales",
      label: { en: "Sales", es: "Ventas" },
      hoursOfOperationId: "hours-sales",
      timeZone: "America/New_York",
      issues: [
        { id: "new-order", label: { en: "A new order", es: "Un pedido nuevo" }, queueName: "Sales - New Orders" },
        { id: "upgrade", label: { en: "Upgrade", es: "Mejorar" }, queueName: "Sales - Upgrades" },
      ],
    },
    {
      id: "support",
      label: { en: "Support", es: "Soporte" },
      hoursOfOperationId: "hours-support",
      timeZone: "America/New_York",
      issues: [{ id: "technical", label: { en: "Technical problem", es: "Problema técnico" }, queueName: "Support - Technical" }],
    },
  ],
};

const weekdays = (start: string, end: string) => ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"].map((day) => ({ day, start, end }));

export function salesHours(overrides: Hours["overrides"] = []): Hours {
  return {
    hoursOfOperationId: "hours-sales",
    name: "Sales Hours",
    timeZone: "America/New_York",
    config: [...weekdays("08:00", "20:00"), { day: "SATURDAY", start: "09:00", end: "17:00" }],
    overrides,
    isOpen: true,
    currentPeriodEnds: null,
    nextOpen: null,
    nextClose: null,
    generatedAt: new Date().toISOString(),
  };
}

export function supportHours(): Hours {
  return {
    ...salesHours(),
    hoursOfOperationId: "hours-support",
    name: "Support Hours",
    config: ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"].map((day) => ({ day, start: "07:00", end: "23:00" })),
  };
}

export const maria: Session = {
  ...signedOut,
  signedIn: true,
  name: "Maria Garcia",
  username: "maria",
  groups: ["customer"],
  phoneNumber: "+12025550100",
  phoneVerified: true,
  idToken: "id-token-maria",
  accessToken: "access-token-maria",
};

export class ManualClock implements Clock {
  constructor(public time: number) {}
  now = () => this.time;
}

export function renderPage(
  ui: ReactElement,
  { session = signedOut, lang = "en", clock = new ManualClock(Date.parse("2026-01-15T17:00:00Z")) }: { session?: Session; lang?: Lang; clock?: Clock } = {},
) {
  return render(
    <I18nProvider lang={lang}>
      <RouterProvider initialPath="/">
        <ClockProvider clock={clock}>
          <SessionProvider value={session}>{ui}</SessionProvider>
        </ClockProvider>
      </RouterProvider>
    </I18nProvider>,
  );
}

/** A fetch that answers from a list of [matcher, response] rules and records every call. */
export function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    return answer(url, init);
  }) as typeof fetch;
  return { fetcher, calls };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers } });
}
