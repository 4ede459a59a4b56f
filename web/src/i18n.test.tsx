import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test } from "vitest";
import { I18nProvider, messageKeys, translate, useI18n } from "./i18n";
import { logoutUrl } from "./session";
import { config } from "./test/render";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every Spanish message has the same placeholders as the English one", () => {
  for (const key of messageKeys()) {
    const en = translate("en", key, {});
    const es = translate("es", key, {});
    expect(placeholders(es)).toEqual(placeholders(en));
  }
});

function Switcher() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" onClick={() => setLang(lang === "en" ? "es" : "en")}>
      {t("signIn")}
    </button>
  );
}

test("switching language changes the text and <html lang>", async () => {
  render(
    <I18nProvider lang="en">
      <Switcher />
    </I18nProvider>,
  );
  expect(document.documentElement.lang).toBe("en");
  await userEvent.setup().click(screen.getByRole("button", { name: "Sign in" }));
  expect(screen.getByRole("button", { name: "Iniciar sesión" })).toBeInTheDocument();
  expect(document.documentElement.lang).toBe("es");
  expect(localStorage.getItem("lang")).toBe("es");
});

test("sign-out goes through Cognito's /logout back to the site", () => {
  expect(logoutUrl(config, "https://jam.example")).toBe("http://stack.test/cognito/logout?client_id=client-1&logout_uri=https%3A%2F%2Fjam.example%2F");
});
