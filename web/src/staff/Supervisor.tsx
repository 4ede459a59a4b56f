import type { SiteConfig } from "../config";
export default function Supervisor(_: { config: SiteConfig }) {
  return <h1 className="title" tabIndex={-1}>Supervisor</h1>;
}
