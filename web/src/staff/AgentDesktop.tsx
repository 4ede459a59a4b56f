import type { SiteConfig } from "../config";
export default function AgentDesktop(_: { config: SiteConfig }) {
  return <h1 className="title" tabIndex={-1}>Agent desktop</h1>;
}
