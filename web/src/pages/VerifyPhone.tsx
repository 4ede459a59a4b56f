// A customer without a verified number is led here: add or confirm the number with a code.
// After verifying, the session is refreshed so the new ID token says phone_number_verified.

import { type FormEvent, useState } from "react";
import { SignInGate } from "../components/SignInGate";
import type { SiteConfig } from "../config";
import { isMessageKey, useI18n } from "../i18n";
import { Link } from "../router";
import { useSession } from "../session";
import { type CodeDelivery, sendPhoneCode, setPhoneNumber, UserPoolError, verifyPhoneCode } from "../userpool";

export function VerifyPhone(props: { config: SiteConfig; fetcher?: typeof fetch }) {
  return (
    <SignInGate title="verifyTitle" returnTo="/verify">
      <VerifyForm {...props} />
    </SignInGate>
  );
}

function VerifyForm({ config, fetcher = fetch }: { config: SiteConfig; fetcher?: typeof fetch }) {
  const { t } = useI18n();
  const session = useSession();
  const [phone, setPhone] = useState(session.phoneNumber ?? "");
  const [delivery, setDelivery] = useState<CodeDelivery | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const endpoint = config.auth.userPoolsApi;

  // Cognito's errors in the page's language; its own (English) message for any other code.
  const problemText = (caught: unknown): string => {
    if (caught instanceof UserPoolError) {
      const key = `verifyError.${caught.code}`;
      return isMessageKey(key) ? t(key) : caught.message;
    }
    // fetch rejects with a TypeError when the user pool cannot be reached at all.
    return caught instanceof TypeError ? t("error.network") : caught instanceof Error ? caught.message : String(caught);
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(problemText(caught));
    } finally {
      setBusy(false);
    }
  };

  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const token = session.accessToken ?? "";
      if (phone !== session.phoneNumber) {
        const answer = await setPhoneNumber(endpoint, token, phone.trim(), fetcher);
        setDelivery(answer.CodeDeliveryDetailsList?.find((d) => d.AttributeName === "phone_number") ?? null);
      } else {
        setDelivery((await sendPhoneCode(endpoint, token, fetcher)).CodeDeliveryDetails);
      }
    });
  };

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await verifyPhoneCode(endpoint, session.accessToken ?? "", code.trim(), fetcher);
      await session.refresh();
      setDone(true);
    });
  };

  return (
    <>
      <h1 className="title" tabIndex={-1}>
        {t("verifyTitle")}
      </h1>
      <p className="subtitle">{t("verifyIntro")}</p>
      {error && (
        <p className="notification is-danger is-light" role="alert">
          {error}
        </p>
      )}
      {done ? (
        <div className="notification is-success is-light" role="status">
          <p>{t("verified")}</p>
          <Link href="/call">{t("backToCall")}</Link>
        </div>
      ) : !delivery ? (
        <form className="box" onSubmit={send}>
          <div className="field">
            <label className="label" htmlFor="phone-number">
              {t("phoneLabel")}
            </label>
            <div className="control">
              <input id="phone-number" className="input" type="tel" autoComplete="tel" value={phone} aria-describedby="phone-hint" onChange={(e) => setPhone(e.target.value)} required />
            </div>
            <p className="help" id="phone-hint">
              {t("phoneHint")}
            </p>
          </div>
          <button type="submit" className={`button is-link${busy ? " is-loading" : ""}`} disabled={busy || !phone.trim()}>
            {phone === session.phoneNumber ? t("sendCode") : t("savePhone")}
          </button>
        </form>
      ) : (
        <form className="box" onSubmit={confirm}>
          <p role="status">{t("codeSent", { destination: delivery.Destination })}</p>
          {delivery.LocalCode && (
            <p className="notification is-info is-light" data-testid="local-code">
              {t("localCode", { code: delivery.LocalCode })}
            </p>
          )}
          <div className="field">
            <label className="label" htmlFor="code">
              {t("codeLabel")}
            </label>
            <div className="control">
              <input id="code" className="input" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
            </div>
          </div>
          <button type="submit" className={`button is-link${busy ? " is-loading" : ""}`} disabled={busy || !code.trim()}>
            {t("confirmCode")}
          </button>
        </form>
      )}
    </>
  );
}
