// The signed-in person as the pages need them, from the OIDC session (react-oidc-context).
// Pages read this context only, so tests can give them any session without an OpenID provider.

import { createContext, type ReactNode, useContext, useMemo } from "react";
import { useAuth } from "react-oidc-context";
import type { SiteConfig } from "./config";
import { useI18n } from "./i18n";

export interface Session {
  signedIn: boolean;
  loading: boolean;
  name: string;
  username: string;
  groups: string[];
  phoneNumber: string | null;
  phoneVerified: boolean;
  locale: string | null;
  idToken: string | null;
  accessToken: string | null;
  error: string | null;
  signIn: (returnTo?: string) => void;
  signOut: () => void;
  refresh: () => Promise<void>;
}

export const signedOut: Session = {
  signedIn: false,
  loading: false,
  name: "",
  username: "",
  groups: [],
  phoneNumber: null,
  phoneVerified: false,
  locale: null,
  idToken: null,
  accessToken: null,
  error: null,
  signIn: () => {},
  signOut: () => {},
  refresh: async () => {},
};

const SessionContext = createContext<Session>(signedOut);

export function SessionProvider({ value, children }: { value: Session; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}

/** Cognito's logout: clear the Hosted UI session too, then come back to the site. */
export function logoutUrl(config: SiteConfig, origin: string): string {
  const query = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: `${origin}/` });
  return `${config.auth.hostedUiDomain.replace(/\/$/, "")}/logout?${query}`;
}

/** Bridges react-oidc-context to the Session the pages read. */
export function OidcSession({ config, children }: { config: SiteConfig; children: ReactNode }) {
  const auth = useAuth();
  const { lang } = useI18n();
  const session = useMemo<Session>(() => {
    const profile = (auth.user?.profile ?? {}) as Record<string, unknown>;
    const given = [profile.given_name, profile.family_name].filter(Boolean).join(" ");
    const groups = Array.isArray(profile["cognito:groups"]) ? (profile["cognito:groups"] as string[]) : [];
    const signedIn = Boolean(auth.isAuthenticated && auth.user && !auth.user.expired);
    return {
      signedIn,
      loading: auth.isLoading,
      name: String(profile.name || given || profile["cognito:username"] || ""),
      username: String(profile["cognito:username"] || ""),
      groups,
      phoneNumber: typeof profile.phone_number === "string" ? profile.phone_number : null,
      phoneVerified: profile.phone_number_verified === true || profile.phone_number_verified === "true",
      locale: typeof profile.locale === "string" ? profile.locale : null,
      idToken: signedIn ? (auth.user?.id_token ?? null) : null,
      accessToken: signedIn ? (auth.user?.access_token ?? null) : null,
      error: auth.error ? auth.error.message : null,
      signIn: (returnTo) => void auth.signinRedirect({
          state: { returnTo: returnTo ?? window.location.pathname + window.location.search },
          // Cognito's managed login pages take the language as `lang`.
          extraQueryParams: { lang },
        }),
      signOut: () => {
        // Revoke the refresh token first (Cognito's /oauth2/revoke also ends the access tokens it
        // issued), so a copy of it is worthless after sign-out; signing out goes on if that fails.
        void auth
          .revokeTokens(["refresh_token"])
          .catch(() => undefined)
          .then(() => auth.removeUser())
          .then(() => window.location.assign(logoutUrl(config, window.location.origin)));
      },
      refresh: async () => {
        // react-oidc-context reports a failed refresh as null (and auth.error), not as a throw.
        const user = await auth.signinSilent();
        if (!user) throw new Error("The session could not be refreshed; please sign in again.");
      },
    };
  }, [auth, config, lang]);
  return <SessionProvider value={session}>{children}</SessionProvider>;
}
