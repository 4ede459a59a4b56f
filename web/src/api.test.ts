import { expect, test } from "vitest";
import { ApiError, fetchHours, requestCall } from "./api";
import { fakeFetch, json } from "./test/render";

test("a problem+json answer becomes an ApiError with Retry-After", async () => {
  const { fetcher } = fakeFetch(() =>
    json({ type: "https://jam/problems/connect-throttled", title: "Too many requests", status: 429, detail: "busy", retryAfter: 2 }, 429, { "Retry-After": "7" }),
  );
  const error = await requestCall("http://a", "tok", "key-12345", { destinationPhoneNumber: "+1", contactFlowId: "f", attributes: { department: "d", issue: "i", language: "en-US" } }, fetcher).catch((e) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect(error.kind).toBe("connect-throttled");
  expect(error.retryAfterSeconds).toBe(7);
  expect(error.problem.detail).toBe("busy");
});

test("a non-JSON gateway error keeps its status", async () => {
  const { fetcher } = fakeFetch(() => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
  const error = await fetchHours("http://a", "h", fetcher).catch((e) => e);
  expect(error.problem.status).toBe(502);
  expect(error.kind).toBe("http-502");
});

test("a network failure is kind 'network'", async () => {
  const fetcher = (async () => {
    throw new TypeError("Failed to fetch");
  }) as typeof fetch;
  const error = await fetchHours("http://a", "h", fetcher).catch((e) => e);
  expect(error.kind).toBe("network");
});

test("hours are asked for by id", async () => {
  const { fetcher, calls } = fakeFetch(() => json({ hoursOfOperationId: "h" }));
  await fetchHours("http://a/api", "h", fetcher);
  expect(calls[0].url).toBe("http://a/api/connect/hours");
  expect(JSON.parse(String(calls[0].init.body))).toEqual({ hoursOfOperationId: "h" });
});
