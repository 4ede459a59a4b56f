import { act, renderHook, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { ContactStatus } from "../api";
import { fakeFetch, json, renderPage } from "../test/render";
import { CallStatusView, isFinished, type LiveStatus, outcomeOf, POLL_MS, useContactStatus } from "./CallStatus";

const API = "http://stack.test/api";

function status(overrides: Partial<ContactStatus> = {}): ContactStatus {
  return {
    contactId: "c-1",
    state: "requested",
    queueName: null,
    initiatedAt: "2026-01-05T20:00:00+00:00",
    enqueuedAt: null,
    connectedToAgentAt: null,
    disconnectedAt: null,
    positionInQueue: null,
    estimatedWaitSeconds: null,
    asOf: "2026-01-05T20:00:01+00:00",
    ...overrides,
  };
}

function problem(slug: string, code: number, headers: Record<string, string> = {}): Response {
  return json({ type: `https://jam/problems/${slug}`, title: slug, status: code }, code, headers);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("call status from the API (the same route locally and on AWS)", () => {
  test("polls GET /connect/contact/<id> with the ID token and shows position and wait in queue", async () => {
    const { fetcher, calls } = fakeFetch(() =>
      json(status({ state: "in-queue", queueName: "Support - Technical", enqueuedAt: "2026-01-05T20:00:40+00:00", positionInQueue: 3, estimatedWaitSeconds: 95 })),
    );
    const { result } = renderHook(() => useContactStatus(API, "id-token-maria", "c 1", fetcher));
    await waitFor(() => expect(result.current.state).toBe("in-queue"));
    expect(result.current).toMatchObject({ state: "in-queue", queueName: "Support - Technical", position: 3, estimatedWaitSeconds: 95, problem: null, enqueuedAt: "2026-01-05T20:00:40+00:00", disconnectReason: null });
    expect(calls[0].url).toBe("http://stack.test/api/connect/contact/c%201");
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe("Bearer id-token-maria");
  });

  test("follows the call from calling you to in queue to with an agent, and stops polling once it ended", async () => {
    vi.useFakeTimers();
    const answers = [
      status(),
      status({ state: "in-queue", queueName: "Sales - New Orders", positionInQueue: 1, estimatedWaitSeconds: 0 }),
      status({ state: "with-agent", queueName: "Sales - New Orders", connectedToAgentAt: "2026-01-05T20:03:00+00:00" }),
      status({ state: "ended", queueName: "Sales - New Orders", disconnectedAt: "2026-01-05T20:09:00+00:00" }),
    ];
    const { fetcher, calls } = fakeFetch(() => json(answers[Math.min(calls.length - 1, answers.length - 1)]));
    const { result } = renderHook(() => useContactStatus(API, "tok", "c-1", fetcher));
    const seen: LiveStatus["state"][] = [];
    for (let i = 0; i < 4; i++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(i === 0 ? 0 : POLL_MS);
      });
      seen.push(result.current.state);
    }
    expect(seen).toEqual(["requested", "in-queue", "with-agent", "ended"]);
    expect(result.current.position).toBeNull(); // position and wait only while in queue
    await act(async () => {
      await vi.advanceTimersByTimeAsync(POLL_MS * 5);
    });
    expect(calls).toHaveLength(4);
  });

  test("404: someone else's or an unknown call is said plainly and not asked again", async () => {
    vi.useFakeTimers();
    const { fetcher, calls } = fakeFetch(() => problem("contact-not-found", 404));
    const { result } = renderHook(() => useContactStatus(API, "tok", "c-1", fetcher));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    });
    expect(result.current).toMatchObject({ state: "placing", problem: "not-found" });
    expect(calls).toHaveLength(1);
    renderPage(<CallStatusView status={result.current} contactId="c-1" phoneNumber="+1" />);
    expect(screen.getByRole("alert")).toHaveTextContent("We cannot find this call for your account.");
  });

  test("401: asks to sign in again, keeps the last known state and stops", async () => {
    vi.useFakeTimers();
    let expired = false;
    const { fetcher, calls } = fakeFetch(() => (expired ? problem("unauthorized", 401) : json(status({ state: "in-queue", positionInQueue: 2 }))));
    const { result } = renderHook(() => useContactStatus(API, "tok", "c-1", fetcher));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expired = true;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    });
    expect(result.current).toMatchObject({ state: "in-queue", position: 2, problem: "unauthorized" });
    expect(calls).toHaveLength(2);
    renderPage(<CallStatusView status={result.current} contactId="c-1" phoneNumber="+1" />, { lang: "es" });
    expect(screen.getByRole("alert")).toHaveTextContent("Su sesión ha caducado");
  });

  test("429: says the center is busy, waits the Retry-After, then carries on", async () => {
    vi.useFakeTimers();
    let busy = true;
    const { fetcher, calls } = fakeFetch(() => (busy ? problem("connect-throttled", 429, { "Retry-After": "6" }) : json(status({ state: "with-agent" }))));
    const { result } = renderHook(() => useContactStatus(API, "tok", "c-1", fetcher));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(result.current.problem).toBe("busy");
    busy = false;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5900);
    });
    expect(calls).toHaveLength(1); // not before the 6 s the API asked for
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(calls).toHaveLength(2);
    expect(result.current).toMatchObject({ state: "with-agent", problem: null });
    renderPage(<CallStatusView status={{ state: "requested", problem: "busy" }} contactId="c-1" phoneNumber="+1" />);
    expect(screen.getByRole("alert")).toHaveTextContent("The contact center is busy");
  });

  test("before the first answer it says the call is being placed and we are calling", () => {
    renderPage(<CallStatusView status={{ state: "placing" }} contactId="c-1" phoneNumber="+12025550100" />);
    expect(screen.getByRole("listitem", { current: "step" })).toHaveTextContent("Requested");
    expect(screen.getByTestId("call-status")).toHaveTextContent("We are calling you at +12025550100");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  test("the steps mark where the call is, for screen readers too", () => {
    renderPage(<CallStatusView status={{ state: "in-queue", queueName: "Support - Technical", position: 1, estimatedWaitSeconds: 30 }} contactId="c-9" phoneNumber="+1" />);
    const current = screen.getByRole("listitem", { current: "step" });
    expect(current).toHaveTextContent("In the queue for Support - Technical.");
    expect(screen.getByTestId("call-status")).toHaveTextContent("You are number 1 in line.Estimated wait: 0 min 30 s.");
  });

  test("with an agent", () => {
    renderPage(<CallStatusView status={{ state: "with-agent" }} contactId="c-9" phoneNumber="+1" />, { lang: "es" });
    expect(screen.getByTestId("call-status")).toHaveTextContent("Está hablando con un agente.");
  });
});

describe("what happened, said in words", () => {
  const ended = (disconnectReason: string | null, extra: Partial<LiveStatus> = {}): LiveStatus => ({
    state: "ended",
    queueName: "Sales - New Orders",
    initiatedAt: "2026-01-05T20:00:00+00:00",
    enqueuedAt: "2026-01-05T20:00:40+00:00",
    connectedToAgentAt: "2026-01-05T20:03:00+00:00",
    disconnectedAt: "2026-01-05T20:09:00+00:00",
    disconnectReason,
    ...extra,
  });

  test.each([
    ["CUSTOMER_NOT_ANSWERED", "no-answer", "We called but nobody answered."],
    ["TELECOM_BUSY", "busy", "We called but the line was busy."],
    ["AGENT_DISCONNECT", "ended-by-us", "The call has ended: our agent hung up."],
    ["CUSTOMER_DISCONNECT", "ended-by-you", "The call has ended: you hung up."],
    ["TELECOM_PROBLEM", "failed", "The call could not be connected."],
    ["SOMETHING_NEW", "ended", "The call has ended."],
  ])("%s reads as %s", (reason, outcome, text) => {
    expect(outcomeOf(reason)).toBe(outcome);
    renderPage(<CallStatusView status={ended(reason)} contactId="c-1" phoneNumber="+1" />);
    const box = screen.getByTestId("call-status");
    expect(box).toHaveAttribute("data-outcome", outcome);
    expect(box).toHaveTextContent(text);
    expect(screen.getByRole("listitem", { current: "step" })).toHaveTextContent(text);
  });

  test("the end shows a summary: when, how long in queue and with the agent", () => {
    renderPage(<CallStatusView status={ended("CUSTOMER_DISCONNECT")} contactId="c-1" phoneNumber="+1" />);
    const summary = screen.getByTestId("call-summary");
    expect(summary).toHaveTextContent("Time in queue2 min 20 s");
    expect(summary).toHaveTextContent("Time with an agent6 min");
    expect(summary).toHaveTextContent("QueueSales - New Orders");
  });

  test("no answer: no agent time in the summary, and a way to ask again", () => {
    renderPage(<CallStatusView status={ended("CUSTOMER_NOT_ANSWERED", { enqueuedAt: null, connectedToAgentAt: null, queueName: null })} contactId="c-1" phoneNumber="+1" />, { lang: "es" });
    expect(screen.getByTestId("call-status")).toHaveTextContent("Le llamamos, pero nadie contestó.Puede pedir otra llamada aquí abajo.");
    expect(screen.getByTestId("call-summary")).not.toHaveTextContent("Tiempo con un agente");
    // The steps it never went through are not listed as done.
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Solicitada: estamos iniciando su llamada.", "Le estamos llamando: conteste su teléfono.", "Le llamamos, pero nadie contestó."]);
  });

  test("a live call is not finished; an ended or unknown one is", () => {
    expect(isFinished({ state: "with-agent" })).toBe(false);
    expect(isFinished({ state: "in-queue", problem: "unauthorized" })).toBe(false);
    expect(isFinished({ state: "ended" })).toBe(true);
    expect(isFinished({ state: "placing", problem: "not-found" })).toBe(true);
  });

  test("no summary while the call goes on", () => {
    renderPage(<CallStatusView status={{ state: "with-agent", initiatedAt: "2026-01-05T20:00:00+00:00" }} contactId="c-1" phoneNumber="+1" />);
    expect(screen.queryByTestId("call-summary")).toBeNull();
  });
});

describe("a request that waits for the contact center's outbound capacity", () => {
  test("scheduled: says we will call, with the place in line; not yet finished", () => {
    const status: LiveStatus = { state: "scheduled", position: 3 };
    renderPage(<CallStatusView status={status} contactId="r-1" phoneNumber="+1" />);
    expect(screen.getByRole("listitem", { current: "step" })).toHaveTextContent("Accepted: we call you as soon as a line is free.");
    expect(screen.getByTestId("call-status")).toHaveTextContent("You are number 3 in line.");
    expect(isFinished(status)).toBe(false);
  });

  test("failed: says so, and another call may be asked for", () => {
    const status: LiveStatus = { state: "failed" };
    renderPage(<CallStatusView status={status} contactId="r-1" phoneNumber="+1" />);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Requested: we are placing your call.", "The call could not be connected."]);
    expect(screen.getByTestId("call-status")).toHaveAttribute("data-outcome", "failed");
    expect(isFinished(status)).toBe(true);
  });
});

