import "./styles.scss";
import { WebStorageStateStore } from "oidc-client-ts";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider } from "react-oidc-context";
import { App } from "./App";
import { loadConfig, type SiteConfig } from "./config";
import { I18nProvider, initialLang, translate } from "./i18n";
import { RouterProvider } from "./router";
import { OidcSession } from "./session";

const root = createRoot(document.getElementById("root")!);

function start(config: SiteConfig) {
  const origin = window.location.origin;
  root.render(
    <StrictMode>
      <AuthProvider
        authority={config.auth.authority}
        client_id={config.auth.clientId}
        redirect_uri={`${origin}/`}
        post_logout_redirect_uri={`${origin}/`}
        response_type="code"
        scope={config.auth.scope}
        // Cognito revokes refresh tokens at the Hosted UI domain's /oauth2/revoke (sign-out, session.tsx).
        metadataSeed={{ revocation_endpoint: `${config.auth.hostedUiDomain.replace(/\/$/, "")}/oauth2/revoke` }}
        loadUserInfo={false}
        automaticSilentRenew
        userStore={new WebStorageStateStore({ store: window.sessionStorage })}
        onSigninCallback={(user) => {
          // Drop ?code=&state= from the address bar and go back where sign-in started.
          const returnTo = (user?.state as { returnTo?: string } | undefined)?.returnTo ?? "/";
          // Only a path of this site: "//host/…" is another origin, which replaceState refuses (throws).
          const local = returnTo.startsWith("/") && !returnTo.startsWith("//");
          window.history.replaceState({}, document.title, local ? returnTo : "/");
          window.dispatchEvent(new PopStateEvent("popstate"));
        }}
      >
        <I18nProvider>
          <RouterProvider>
            <OidcSession config={config}>
              <App config={config} />
            </OidcSession>
          </RouterProvider>
        </I18nProvider>
      </AuthProvider>
    </StrictMode>,
  );
}

loadConfig().then(start, (error: unknown) => {
  const message = translate(initialLang(), "configError", { detail: String(error) });
  root.render(
    <main className="section">
      <p role="alert">{message}</p>
    </main>,
  );
});
