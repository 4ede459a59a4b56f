/// <reference types="vite/client" />
// amazon-connect-streams is a script that defines the global `connect` (typed by the package).
declare module "amazon-connect-streams/release/connect-streams-min.js";
