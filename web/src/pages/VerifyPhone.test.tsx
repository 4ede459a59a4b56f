import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";
import { config, fakeFetch, json, maria, renderPage } from "../test/render";
import { VerifyPhone } from "./VerifyPhone";

test("sends a code, shows the local code, verifies and refreshes the session", async () => {
  const { fetcher, calls } = fakeFetch((_url, init) => {
    const target = (init.headers as Record<string, string>)["X-Amz-Target"];
    if (target.endsWith("GetUserAttributeVerificationCode")) {
      return json({ CodeDeliveryDetails: { Destination: "+*******0103", DeliveryMedium: "SMS", AttributeName: "phone_number", LocalCode: "424242" } });
    }
    const body = JSON.parse(String(init.body));
    return body.Code === "424242" ? json({}) : json({ __type: "CodeMismatchException", message: "Invalid verification code provided, please try again." }, 400);
  });
  const refresh = vi.fn(async () => {});
  renderPage(<VerifyPhone config={config} fetcher={fetcher} />, { session: { ...maria, phoneNumber: "+12025550103", phoneVerified: false, refresh } });
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Send me a code" }));
  expect(await screen.findByTestId("local-code")).toHaveTextContent("Your code is 424242");
  expect(screen.getByText("We sent a code to +*******0103.")).toBeInTheDocument();

  await user.type(screen.getByLabelText("Verification code"), "111111");
  await user.click(screen.getByRole("button", { name: "Confirm" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Invalid verification code");
  expect(refresh).not.toHaveBeenCalled();

  await user.clear(screen.getByLabelText("Verification code"));
  await user.type(screen.getByLabelText("Verification code"), "424242");
  await user.click(screen.getByRole("button", { name: "Confirm" }));
  expect(await screen.findByText("Your number is verified.")).toBeInTheDocument();
  expect(refresh).toHaveBeenCalledOnce();
  expect(calls.every((c) => JSON.parse(String(c.init.body)).AccessToken === "access-token-maria")).toBe(true);
  expect(calls[0].url).toBe("http://stack.test/cognito/");
});

test("a new number is saved first (UpdateUserAttributes sends the code)", async () => {
  const { fetcher, calls } = fakeFetch(() =>
    json({ CodeDeliveryDetailsList: [{ Destination: "+*******0199", DeliveryMedium: "SMS", AttributeName: "phone_number", LocalCode: "123456" }] }),
  );
  renderPage(<VerifyPhone config={config} fetcher={fetcher} />, { session: { ...maria, phoneNumber: null, phoneVerified: false } });
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Phone number"), "+12025550199");
  await user.click(screen.getByRole("button", { name: "Save and send code" }));
  expect(await screen.findByTestId("local-code")).toHaveTextContent("123456");
  expect((calls[0].init.headers as Record<string, string>)["X-Amz-Target"]).toBe("AWSCognitoIdentityProviderService.UpdateUserAttributes");
});

test("Cognito's errors read in the page's language, and an unreachable pool as a network problem", async () => {
  let reachable = true;
  const fetcher: typeof fetch = async (_url, init) => {
    if (!reachable) throw new TypeError("Failed to fetch");
    const target = ((init?.headers ?? {}) as Record<string, string>)["X-Amz-Target"];
    return target.endsWith("UpdateUserAttributes")
      ? json({ __type: "InvalidParameterException", message: "Phone numbers must follow the format +12025550100." }, 400)
      : json({});
  };
  renderPage(<VerifyPhone config={config} fetcher={fetcher} />, { lang: "es", session: { ...maria, phoneNumber: null, phoneVerified: false } });
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Número de teléfono"), "12345");
  await user.click(screen.getByRole("button", { name: "Guardar y enviar código" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Este número no fue aceptado");
  reachable = false;
  await user.click(screen.getByRole("button", { name: "Guardar y enviar código" }));
  expect(await screen.findByText(/No pudimos contactar con el centro/)).toHaveAttribute("role", "alert");
});
