import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { App } from "../App";
import { signedOut } from "../session";
import { config, json, ManualClock, maria, renderPage, salesHours, supportHours } from "../test/render";

// 19:59:50 on Thursday in New York: Sales closes in 10 seconds, Support is open until 23:00.
const START = Date.parse("2026-01-16T00:59:50Z");

describe("home: live hours", () => {
  let clock: ManualClock;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    clock = new ManualClock(START);
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        const id = JSON.parse(String(init.body)).hoursOfOperationId;
        return json(id === "hours-sales" ? salesHours() : supportHours());
      }),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const tick = async (ms: number) => {
    await act(async () => {
      clock.time += ms;
      await vi.advanceTimersByTimeAsync(ms + 10); // the tick lands just after each second
    });
  };

  test("the badge and countdown tick every second and flip at closing time", async () => {
    renderPage(<App config={config} zone="Europe/Madrid" />, { clock });
    await tick(0);
    const sales = screen.getByRole("region", { name: "Sales" });
    expect(within(sales).getByTestId("badge-sales")).toHaveTextContent("Open");
    expect(within(sales).getByTestId("countdown-sales")).toHaveTextContent("Closes in 0 min 10 s (until 2:00 AM)");
    await tick(1000);
    expect(within(sales).getByTestId("countdown-sales")).toHaveTextContent("Closes in 0 min 09 s");
    await tick(10_000);
    expect(within(sales).getByTestId("badge-sales")).toHaveTextContent("Closed");
    // Friday 08:00 New York is 14:00 in Madrid.
    expect(within(sales).getByTestId("countdown-sales")).toHaveTextContent("Opens in 11 h 59 min · Opens Friday 2:00 PM");
    expect(screen.getByTestId("badge-support")).toHaveTextContent("Open");
  });

  test("times are in the customer's zone, with the center's zone named", async () => {
    renderPage(<App config={config} zone="Europe/Madrid" />, { clock });
    await tick(0);
    expect(screen.getByText(/Times are shown in your time zone/)).toHaveTextContent(
      "Times are shown in your time zone (Central European Standard Time); the contact center is on Eastern Standard Time.",
    );
    const sales = screen.getByRole("region", { name: "Sales" });
    expect(within(sales).getByText("Today: 2:00 PM – 2:00 AM (next day)")).toBeInTheDocument();
    const table = within(sales).getByRole("table", { name: "Sales: the next seven days" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(8);
    expect(rows[1]).toHaveTextContent("Today, Thursday, Jan 15");
    expect(rows[1]).toHaveTextContent("2:00 PM – 2:00 AM (next day)");
    expect(rows[3]).toHaveTextContent("Saturday, Jan 17");
    expect(rows[3]).toHaveTextContent("3:00 PM – 11:00 PM");
    expect(rows[4]).toHaveTextContent("Closed");
  });

  test("a holiday override shows in the week table with its name", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        json(
          salesHours([
            { name: "Founders Day", type: "CLOSED", effectiveFrom: "2026-01-16", effectiveTill: "2026-01-16", config: [{ day: "FRIDAY", start: "00:00", end: "00:00" }] },
          ]),
        ),
      ),
    );
    renderPage(<App config={config} zone="America/New_York" />, { clock });
    await tick(0);
    const table = within(screen.getByRole("region", { name: "Sales" })).getByRole("table");
    const friday = within(table).getAllByRole("row")[2];
    expect(friday).toHaveTextContent("Friday, Jan 16");
    expect(friday).toHaveTextContent("Closed");
    expect(friday).toHaveTextContent("Founders Day");
  });

  test("an API failure is shown with a retry", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json({ type: "https://jam/problems/connect-unreachable", title: "Contact center unavailable", status: 503, detail: "Amazon Connect could not be reached." }, 503)));
    renderPage(<App config={config} zone="America/New_York" />, { clock });
    await tick(0);
    const alerts = screen.getAllByRole("alert");
    expect(alerts[0]).toHaveTextContent("Opening hours are unavailable right now (Amazon Connect could not be reached.)");
    expect(within(alerts[0]).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});

describe("language from the profile", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  test("a Spanish-speaking customer gets Spanish until they choose otherwise", async () => {
    localStorage.clear();
    vi.stubGlobal("fetch", vi.fn(async () => json(salesHours())));
    renderPage(<App config={config} zone="America/New_York" />, { session: { ...maria, locale: "es" } });
    expect(await screen.findByRole("heading", { level: 1, name: "¿Cuándo podemos hablar?" })).toBeInTheDocument();
    expect(localStorage.getItem("lang")).toBeNull();
  });

  test("a choice made on the site wins over the profile", async () => {
    localStorage.setItem("lang", "en");
    vi.stubGlobal("fetch", vi.fn(async () => json(salesHours())));
    renderPage(<App config={config} zone="America/New_York" />, { session: { ...maria, locale: "es" } });
    expect(await screen.findByRole("heading", { level: 1, name: "When can we talk?" })).toBeInTheDocument();
  });
});

test("a sign-in that failed says so instead of silently staying signed out", async () => {
  vi.stubGlobal("fetch", vi.fn(async () => json(salesHours())));
  renderPage(<App config={config} zone="America/New_York" />, { session: { ...signedOut, error: "No matching state found in storage" } });
  expect(await screen.findByTestId("sign-in-error")).toHaveTextContent("Sign-in did not work (No matching state found in storage). Please sign in again.");
  vi.unstubAllGlobals();
});

describe("the frame around every page", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
    window.history.replaceState(null, "", "/");
  });

  test("each page has its own document title, in the page's language", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(salesHours())));
    const user = userEvent.setup();
    renderPage(<App config={config} zone="America/New_York" />, { session: maria });
    await waitFor(() => expect(document.title).toBe("Opening hours · JAM Contact Center"));
    await user.click(screen.getAllByRole("link", { name: "Get a call" })[0]);
    await waitFor(() => expect(document.title).toBe("Get a call · JAM Contact Center"));
    await user.click(screen.getByRole("button", { name: "Ver en español" }));
    await waitFor(() => expect(document.title).toBe("Recibir una llamada · Centro de Contacto JAM"));
  });

  test("the menu folds behind a burger button that says whether it is open", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(salesHours())));
    const user = userEvent.setup();
    renderPage(<App config={config} zone="America/New_York" />, { session: maria });
    const burger = screen.getByRole("button", { name: "Menu" });
    const menu = document.getElementById("main-menu")!;
    expect(burger).toHaveAttribute("aria-expanded", "false");
    expect(burger).toHaveAttribute("aria-controls", "main-menu");
    expect(menu).not.toHaveClass("is-active");
    await user.click(burger);
    expect(burger).toHaveAttribute("aria-expanded", "true");
    expect(menu).toHaveClass("is-active");
    // Following a link closes it again.
    await user.click(within(menu).getByRole("link", { name: "Get a call" }));
    expect(burger).toHaveAttribute("aria-expanded", "false");
    // The language switch is not inside the folding menu: it stays visible.
    expect(within(menu).queryByRole("button", { name: "Ver en español" })).toBeNull();
  });

  test("a language chosen after the profile's default is kept for the next visit", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json(salesHours())));
    const user = userEvent.setup();
    const first = renderPage(<App config={config} zone="America/New_York" />, { session: { ...maria, locale: "es" } });
    expect(await screen.findByRole("heading", { level: 1, name: "¿Cuándo podemos hablar?" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "View in English" }));
    expect(localStorage.getItem("lang")).toBe("en");
    first.unmount();
    renderPage(<App config={config} zone="America/New_York" />, { session: { ...maria, locale: "es" } });
    expect(await screen.findByRole("heading", { level: 1, name: "When can we talk?" })).toBeInTheDocument();
  });
});

