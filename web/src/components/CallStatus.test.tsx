import { renderHook, screen, waitFor } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { fakeFetch, json, renderPage } from "../test/render";
import { CallStatusView, useContactStatus } from "./CallStatus";

describe("call status", () => {
  test("polls the local runtime: queued with position and the queue's estimated wait", async () => {
    const { fetcher, calls } = fakeFetch((url) =>
      url.endsWith("/queues")
        ? json({ queues: [{ id: "q-1", name: "Sales - New Orders", ESTIMATED_WAIT_TIME: 95 }] })
        : json({ ContactId: "c-1", State: "QUEUED", QueueId: "q-1", Position: 2 }),
    );
    const { result } = renderHook(() => useContactStatus("http://stack.test/local", "c-1", fetcher));
    await waitFor(() => expect(result.current.state).toBe("QUEUED"));
    expect(result.current).toEqual({ state: "QUEUED", queueName: "Sales - New Orders", position: 3, estimatedWaitSeconds: 95 });
    expect(calls[0].url).toBe("http://stack.test/local/contacts/c-1");
  });

  test("without a status source it stays at requested and says we are calling", () => {
    const { result } = renderHook(() => useContactStatus(undefined, "c-1"));
    expect(result.current.state).toBe("REQUESTED");
    renderPage(<CallStatusView status={result.current} contactId="c-1" phoneNumber="+12025550100" />);
    expect(screen.getByTestId("call-status")).toHaveTextContent("We are calling you at +12025550100");
  });

  test("the steps mark where the call is, for screen readers too", () => {
    renderPage(<CallStatusView status={{ state: "QUEUED", queueName: "Support - Technical", position: 1, estimatedWaitSeconds: 30 }} contactId="c-9" phoneNumber="+1" />);
    const current = screen.getByRole("listitem", { current: "step" });
    expect(current).toHaveTextContent("In the queue for Support - Technical.");
    expect(screen.getByTestId("call-status")).toHaveTextContent("You are number 1 in line.Estimated wait: 0 min 30 s.");
  });

  test("with an agent", () => {
    renderPage(<CallStatusView status={{ state: "CONNECTED" }} contactId="c-9" phoneNumber="+1" />, { lang: "es" });
    expect(screen.getByTestId("call-status")).toHaveTextContent("Está hablando con un agente.");
  });
});
