// The pages that need a signed-in customer show the same gate: the page's heading, then "Loading…"
// while the session is read (no "Sign in" to click twice) or a Sign in button that comes back here.

import type { ReactNode } from "react";
import { type MessageKey, useI18n } from "../i18n";
import { useSession } from "../session";

export function SignInGate({ title, prompt, returnTo, children }: { title: MessageKey; prompt?: MessageKey; returnTo?: string; children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  if (session.signedIn) return <>{children}</>;
  return (
    <>
      <h1 className="title" tabIndex={-1}>
        {t(title)}
      </h1>
      {session.loading ? (
        <p>{t("loading")}</p>
      ) : (
        <>
          {prompt && <p className="mb-4">{t(prompt)}</p>}
          <button type="button" className="button is-link" onClick={() => session.signIn(returnTo)}>
            {t("signIn")}
          </button>
        </>
      )}
    </>
  );
}
