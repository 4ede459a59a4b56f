import { act, renderHook, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { ContactStatus } from "../api";
import { fakeFetch, json, renderPage } from "../test/render";
import { CallStatusView, type LiveStatus, POLL_MS, useContactStatus } from "./CallStatus";

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
    expect(result.current).toEqual({ state: "in-queue", queueName: "Support - Technical", position: 3, estimatedWaitSeconds: 95, problem: null });
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
