// Words for the codes Connect and the runtime use (es-US, API, AGENT_DISCONNECT, "On contact"…):
// agents and supervisors read labels, not codes. An unknown code is shown as it is, never hidden.
import type { Lang } from "../time/format";

type Words = Record<string, { en: string; es: string }>;

const LANGUAGES: Words = {
  en: { en: "English", es: "Inglés" },
  es: { en: "Spanish", es: "Español" },
};

// InitiationMethod (Connect's contact record): how the contact reached us.
const METHODS: Words = {
  INBOUND: { en: "Phone call", es: "Llamada entrante" },
  API: { en: "Website", es: "Sitio web" },
  OUTBOUND: { en: "Outbound call", es: "Llamada saliente" },
  CALLBACK: { en: "Callback", es: "Devolución de llamada" },
  TRANSFER: { en: "Transfer", es: "Transferencia" },
  QUEUE_TRANSFER: { en: "Transfer", es: "Transferencia" },
};

// DisconnectReason: how it ended.
const OUTCOMES: Words = {
  CUSTOMER_DISCONNECT: { en: "Customer hung up", es: "El cliente colgó" },
  AGENT_DISCONNECT: { en: "Agent hung up", es: "El agente colgó" },
  CONTACT_FLOW_DISCONNECT: { en: "Ended by the phone menu", es: "Terminó en el menú telefónico" },
  API: { en: "Ended by the system", es: "Terminado por el sistema" },
  TELECOM_PROBLEM: { en: "Line problem", es: "Problema de línea" },
  CUSTOMER_NOT_ANSWERED: { en: "Customer did not answer", es: "El cliente no contestó" },
  TRANSFERRED: { en: "Transferred", es: "Transferido" },
  CALLBACK_ATTEMPTS_EXHAUSTED: { en: "Callback: no answer after every try", es: "Devolución: sin respuesta tras todos los intentos" },
  CALLBACK_CREATED: { en: "Chose a callback", es: "Eligió una devolución de llamada" },
  THIRD_PARTY_DISCONNECT: { en: "Third party hung up", es: "Un tercero colgó" },
  EXPIRED: { en: "Expired", es: "Caducado" },
};

// Contact states while a contact goes on (the runtime's record State).
const CONTACT_STATES: Words = {
  IN_FLOW: { en: "In the phone menu", es: "En el menú telefónico" },
  QUEUED: { en: "Waiting in queue", es: "Esperando en cola" },
  SCHEDULED: { en: "Callback scheduled", es: "Devolución programada" },
  OFFERED: { en: "Ringing an agent", es: "Sonando a un agente" },
  DIALING: { en: "Calling the customer", es: "Llamando al cliente" },
  CONNECTED: { en: "With an agent", es: "Con un agente" },
  DISCONNECTED: { en: "Ended", es: "Terminado" },
};

// Agent states (the runtime's, as the CCP names them).
const AGENT_STATES: Words = {
  Offline: { en: "Offline", es: "Desconectado" },
  Available: { en: "Available", es: "Disponible" },
  Incoming: { en: "Incoming contact", es: "Contacto entrante" },
  "On contact": { en: "On contact", es: "En contacto" },
  "After contact work": { en: "After contact work", es: "Trabajo posterior" },
  Missed: { en: "Missed a contact", es: "Contacto perdido" },
};

const say = (words: Words, code: string | null | undefined, lang: Lang): string => (code ? (words[code]?.[lang] ?? code) : "—");

/** "es-US" → "Spanish" (by the language part; the region adds nothing an agent needs). */
export const languageLabel = (code: string | null | undefined, lang: Lang) => say(LANGUAGES, code?.slice(0, 2).toLowerCase(), lang);
export const methodLabel = (code: string | null | undefined, lang: Lang) => say(METHODS, code, lang);
export const outcomeLabel = (code: string | null | undefined, lang: Lang) => say(OUTCOMES, code, lang);
export const contactStateLabel = (code: string | null | undefined, lang: Lang) => say(CONTACT_STATES, code, lang);
export const agentStateLabel = (code: string | null | undefined, lang: Lang) => say(AGENT_STATES, code, lang);

/** After-contact work: what came of the contact (saved as the DispositionCode attribute). */
export const DISPOSITIONS = ["RESOLVED", "FOLLOW_UP", "ESCALATED", "CALLBACK_PROMISED", "WRONG_NUMBER"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
const DISPOSITION_WORDS: Words = {
  RESOLVED: { en: "Resolved", es: "Resuelto" },
  FOLLOW_UP: { en: "Needs a follow-up", es: "Requiere seguimiento" },
  ESCALATED: { en: "Escalated", es: "Escalado" },
  CALLBACK_PROMISED: { en: "Callback promised", es: "Devolución prometida" },
  WRONG_NUMBER: { en: "Wrong number or no need", es: "Número equivocado o sin necesidad" },
};
export const dispositionLabel = (code: string | null | undefined, lang: Lang) => say(DISPOSITION_WORDS, code, lang);
