// The runtime configuration (/config.json): written at deploy on AWS, served by the local stack.
// The built files are the same everywhere; only this document differs.

export type Labels = { en: string; es: string };

export interface IssueConfig {
  id: string;
  label: Labels;
  queueName: string;
}

export interface DepartmentConfig {
  id: string;
  label: Labels;
  hoursOfOperationId: string;
  timeZone: string;
  issues: IssueConfig[];
}

export interface SiteConfig {
  mode: "local" | "aws";
  apiBase: string;
  auth: {
    authority: string;
    clientId: string;
    scope: string;
    hostedUiDomain: string; // Cognito Hosted UI domain: /logout lives there
    userPoolsApi: string; // https://cognito-idp.<region>.amazonaws.com/ (phone verification)
  };
  webIngressContactFlowId: string;
  departments: DepartmentConfig[];
  localRuntime?: string; // local only: the runtime's /local API (test phone, agent desktop, supervisor)
  ccpUrl?: string; // AWS only: https://<instance>.my.connect.aws/ccp-v2/ for the agent desktop
}

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<SiteConfig> {
  // Same request as index.html's preload (so it is reused); the server marks it no-cache.
  const response = await fetcher("/config.json");
  if (!response.ok) throw new Error(`/config.json: HTTP ${response.status}`);
  const config = (await response.json()) as SiteConfig;
  if (!config.apiBase || !config.auth?.authority || !Array.isArray(config.departments)) {
    throw new Error("/config.json is missing apiBase, auth or departments");
  }
  return config;
}
