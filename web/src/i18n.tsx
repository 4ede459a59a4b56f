// English and Spanish UI text. The language is the customer's choice (kept in localStorage),
// defaulting to the browser's; <html lang> follows it so screen readers pronounce it right.

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { Lang } from "./time/format";

const en = {
  skip: "Skip to main content",
  brand: "JAM Contact Center",
  home: "Opening hours",
  getCall: "Get a call",
  agent: "Agent desktop",
  supervisor: "Supervisor",
  signIn: "Sign in",
  signOut: "Sign out",
  language: "Language",
  otherLanguage: "Español",
  otherLanguageLabel: "Ver en español",
  loading: "Loading…",
  configError: "The site could not load its configuration: {detail}",
  hoursTitle: "When can we talk?",
  hoursIntro: "Live opening hours of our three departments.",
  yourZone: "Times are shown in your time zone ({zone}); the contact center is on {center}.",
  open: "Open",
  closed: "Closed",
  closesIn: "Closes in {time}",
  opensIn: "Opens in {time}",
  opensAt: "Opens {when}",
  closesAt: "until {when}",
  noOpening: "No opening planned in the next three weeks.",
  today: "Today",
  todayHours: "Today: {hours}",
  closedToday: "Today: closed",
  weekTable: "{department}: the next seven days",
  day: "Day",
  hours: "Hours",
  note: "Note",
  closedAllDay: "Closed",
  nextDay: "(next day)",
  hoursError: "Opening hours are unavailable right now ({detail}).",
  retry: "Try again",
  callTitle: "Get a call",
  callIntro: "Tell us what it is about and we call you right away.",
  signInToCall: "Sign in to ask for a call.",
  department: "Department",
  issue: "What is it about?",
  chooseIssue: "Choose one",
  noteLabel: "Anything we should know? (optional)",
  noteHint: "Up to {max} characters. Please don't include passwords or card numbers.",
  callLanguage: "Language for the call",
  english: "English",
  spanish: "Español",
  yourNumber: "We will call your verified number",
  noVerifiedNumber: "To get a call, first verify your phone number.",
  verifyNow: "Verify my number",
  callMe: "Call me now",
  calling: "Requesting…",
  closedNow: "{department} is closed now. It opens {when} (in {time}).",
  chooseDepartmentIssue: "Choose a department and what it is about.",
  statusTitle: "Your call",
  statusRequested: "Requested: we are placing your call.",
  statusCalling: "Calling you now: please answer your phone.",
  statusQueued: "In the queue for {queue}.",
  statusQueuedAny: "In the queue.",
  statusPosition: "You are number {position} in line.",
  statusWait: "Estimated wait: {time}.",
  statusAgent: "You are with an agent.",
  statusEnded: "The call has ended.",
  statusScheduled: "Accepted: we call you as soon as a line is free.",
  statusCallAt: "We expect to call you {when}.",
  callWhenOpen: "Call me when you open",
  callWhenOpenHint: "We will call you as soon as {department} opens.",
  outcomeNoAnswer: "We called but nobody answered.",
  outcomeBusy: "We called but the line was busy.",
  outcomeEndedByUs: "The call has ended: our agent hung up.",
  outcomeEndedByYou: "The call has ended: you hung up.",
  outcomeFailed: "The call could not be connected.",
  outcomeTryAgain: "You can ask for another call below.",
  summaryTitle: "Summary",
  summaryStarted: "Requested at",
  summaryWaited: "Time in queue",
  summaryTalked: "Time with an agent",
  summaryEnded: "Ended at",
  summaryQueue: "Queue",
  menu: "Menu",
  statusUnknownLive: "We are calling you at {number}. Keep your phone close.",
  statusUnauthorized: "Your session has expired: sign in again to follow your call. The call itself goes on.",
  statusNotFound: "We cannot find this call for your account.",
  statusBusy: "The contact center is busy; the status will refresh in a moment.",
  statusUnreachable: "The call's status cannot be read right now; we keep trying.",
  contactId: "Reference: {id}",
  newRequest: "Ask for another call",
  errorTitle: "Your call was not requested",
  "error.rate-limited": "You have asked for several calls recently. You can ask again in {time}.",
  "error.connect-throttled": "The contact center is busy. Trying is possible again in {time}.",
  "error.too-many-calls": "The contact center is at capacity. Please try again in {time}.",
  "error.connect-unreachable": "The contact center cannot be reached right now. Try again in {time}.",
  "error.connect-error": "The contact center answered with an error. Try again in {time}.",
  "error.auth-unavailable": "Sign-in is unavailable for a moment. Try again in {time}.",
  "error.unauthorized": "Your session has expired. Please sign in again.",
  "error.phone-not-verified": "Your phone number is not verified yet.",
  "error.not-your-number": "We can only call the verified number on your account.",
  "error.country-not-allowed": "We cannot call numbers in that country.",
  "error.destination-not-allowed": "The contact center may not call this number.",
  "error.invalid-field": "A field was not accepted: {detail}",
  "error.rejected-by-connect": "The contact center refused the request: {detail}",
  "error.network": "We could not reach the contact center. Check your connection and try again.",
  "error.invalid-request": "The request was not accepted: {detail}",
  "error.body-too-large": "The request is too long. Shorten the note and try again.",
  "error.auth-not-configured": "Sign-in is not available on our side right now. Please try again later.",
  "error.internal-error": "Something went wrong on our side. Please try again in a moment.",
  "error.default": "Something went wrong ({status}): {detail}",
  retryIn: "You can try again in {time}.",
  retryNow: "You can try again now.",
  verifyTitle: "Verify your phone number",
  verifyIntro: "We send a 6-digit code to your phone. Enter it here to confirm the number is yours.",
  phoneLabel: "Phone number",
  phoneHint: "International format, for example +12025550100.",
  savePhone: "Save and send code",
  sendCode: "Send me a code",
  codeSent: "We sent a code to {destination}.",
  localCode: "Local mode: no SMS is sent. Your code is {code}.",
  "verifyError.CodeMismatchException": "Invalid verification code: check it and try again.",
  "verifyError.ExpiredCodeException": "This code has expired. Ask for a new one.",
  "verifyError.InvalidParameterException": "This number was not accepted. Use the international format, for example +12025550100.",
  "verifyError.LimitExceededException": "Too many attempts. Please wait a while and try again.",
  "verifyError.NotAuthorizedException": "Your session has expired. Please sign in again.",
  codeLabel: "Verification code",
  confirmCode: "Confirm",
  verified: "Your number is verified.",
  backToCall: "Back to Get a call",
  notFound: "Page not found",
  signedInAs: "Signed in as {name}",
  signInError: "Sign-in did not work ({detail}). Please sign in again.",
};

export type MessageKey = keyof typeof en;

export function messageKeys(): MessageKey[] {
  return Object.keys(en) as MessageKey[];
}

export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}

const es: Record<MessageKey, string> = {
  skip: "Saltar al contenido principal",
  brand: "Centro de Contacto JAM",
  home: "Horario",
  getCall: "Recibir una llamada",
  agent: "Escritorio de agente",
  supervisor: "Supervisión",
  signIn: "Iniciar sesión",
  signOut: "Cerrar sesión",
  language: "Idioma",
  otherLanguage: "English",
  otherLanguageLabel: "View in English",
  loading: "Cargando…",
  configError: "El sitio no pudo cargar su configuración: {detail}",
  hoursTitle: "¿Cuándo podemos hablar?",
  hoursIntro: "Horario en vivo de nuestros tres departamentos.",
  yourZone: "Las horas se muestran en su zona horaria ({zone}); el centro de contacto usa la {center}.",
  open: "Abierto",
  closed: "Cerrado",
  closesIn: "Cierra en {time}",
  opensIn: "Abre en {time}",
  opensAt: "Abre el {when}",
  closesAt: "hasta las {when}",
  noOpening: "No hay apertura prevista en las próximas tres semanas.",
  today: "Hoy",
  todayHours: "Hoy: {hours}",
  closedToday: "Hoy: cerrado",
  weekTable: "{department}: los próximos siete días",
  day: "Día",
  hours: "Horario",
  note: "Nota",
  closedAllDay: "Cerrado",
  nextDay: "(día siguiente)",
  hoursError: "El horario no está disponible ahora ({detail}).",
  retry: "Reintentar",
  callTitle: "Recibir una llamada",
  callIntro: "Díganos de qué se trata y le llamamos enseguida.",
  signInToCall: "Inicie sesión para pedir una llamada.",
  department: "Departamento",
  issue: "¿De qué se trata?",
  chooseIssue: "Elija una opción",
  noteLabel: "¿Algo que debamos saber? (opcional)",
  noteHint: "Hasta {max} caracteres. No incluya contraseñas ni números de tarjeta.",
  callLanguage: "Idioma de la llamada",
  english: "English",
  spanish: "Español",
  yourNumber: "Le llamaremos a su número verificado",
  noVerifiedNumber: "Para recibir una llamada, primero verifique su número de teléfono.",
  verifyNow: "Verificar mi número",
  callMe: "Llámenme ahora",
  calling: "Solicitando…",
  closedNow: "{department} está cerrado ahora. Abre el {when} (en {time}).",
  chooseDepartmentIssue: "Elija un departamento y el motivo.",
  statusTitle: "Su llamada",
  statusRequested: "Solicitada: estamos iniciando su llamada.",
  statusCalling: "Le estamos llamando: conteste su teléfono.",
  statusQueued: "En la cola de {queue}.",
  statusQueuedAny: "En la cola.",
  statusPosition: "Usted es el número {position} en la fila.",
  statusWait: "Espera estimada: {time}.",
  statusAgent: "Está hablando con un agente.",
  statusEnded: "La llamada ha terminado.",
  statusScheduled: "Aceptada: le llamamos en cuanto haya una línea libre.",
  statusCallAt: "Prevemos llamarle el {when}.",
  callWhenOpen: "Llámenme cuando abran",
  callWhenOpenHint: "Le llamaremos en cuanto {department} abra.",
  outcomeNoAnswer: "Le llamamos, pero nadie contestó.",
  outcomeBusy: "Le llamamos, pero la línea estaba ocupada.",
  outcomeEndedByUs: "La llamada ha terminado: nuestro agente colgó.",
  outcomeEndedByYou: "La llamada ha terminado: usted colgó.",
  outcomeFailed: "No se pudo establecer la llamada.",
  outcomeTryAgain: "Puede pedir otra llamada aquí abajo.",
  summaryTitle: "Resumen",
  summaryStarted: "Solicitada a las",
  summaryWaited: "Tiempo en la cola",
  summaryTalked: "Tiempo con un agente",
  summaryEnded: "Terminó a las",
  summaryQueue: "Cola",
  menu: "Menú",
  statusUnknownLive: "Le estamos llamando al {number}. Tenga su teléfono a mano.",
  statusUnauthorized: "Su sesión ha caducado: inicie sesión de nuevo para seguir su llamada. La llamada continúa.",
  statusNotFound: "No encontramos esta llamada en su cuenta.",
  statusBusy: "El centro está ocupado; el estado se actualizará en un momento.",
  statusUnreachable: "No podemos leer el estado de la llamada ahora; seguimos intentándolo.",
  contactId: "Referencia: {id}",
  newRequest: "Pedir otra llamada",
  errorTitle: "No se pudo solicitar su llamada",
  "error.rate-limited": "Ha pedido varias llamadas hace poco. Puede volver a pedir en {time}.",
  "error.connect-throttled": "El centro está ocupado. Puede volver a intentarlo en {time}.",
  "error.too-many-calls": "El centro está al máximo de su capacidad. Inténtelo de nuevo en {time}.",
  "error.connect-unreachable": "No podemos contactar con el centro ahora. Inténtelo en {time}.",
  "error.connect-error": "El centro respondió con un error. Inténtelo en {time}.",
  "error.auth-unavailable": "El inicio de sesión no está disponible. Inténtelo en {time}.",
  "error.unauthorized": "Su sesión ha caducado. Inicie sesión de nuevo.",
  "error.phone-not-verified": "Su número de teléfono aún no está verificado.",
  "error.not-your-number": "Solo podemos llamar al número verificado de su cuenta.",
  "error.country-not-allowed": "No podemos llamar a números de ese país.",
  "error.destination-not-allowed": "El centro no puede llamar a este número.",
  "error.invalid-field": "Un campo no fue aceptado: {detail}",
  "error.rejected-by-connect": "El centro rechazó la solicitud: {detail}",
  "error.network": "No pudimos contactar con el centro. Revise su conexión e inténtelo de nuevo.",
  "error.invalid-request": "La solicitud no fue aceptada: {detail}",
  "error.body-too-large": "La solicitud es demasiado larga. Acorte la nota e inténtelo de nuevo.",
  "error.auth-not-configured": "El inicio de sesión no está disponible de nuestro lado ahora. Inténtelo más tarde.",
  "error.internal-error": "Algo falló de nuestro lado. Inténtelo de nuevo en un momento.",
  "error.default": "Algo salió mal ({status}): {detail}",
  retryIn: "Puede volver a intentarlo en {time}.",
  retryNow: "Ya puede volver a intentarlo.",
  verifyTitle: "Verifique su número de teléfono",
  verifyIntro: "Le enviamos un código de 6 dígitos. Escríbalo aquí para confirmar que el número es suyo.",
  phoneLabel: "Número de teléfono",
  phoneHint: "Formato internacional, por ejemplo +12025550100.",
  savePhone: "Guardar y enviar código",
  sendCode: "Enviarme un código",
  codeSent: "Enviamos un código a {destination}.",
  localCode: "Modo local: no se envía SMS. Su código es {code}.",
  "verifyError.CodeMismatchException": "Código de verificación no válido: revíselo e inténtelo de nuevo.",
  "verifyError.ExpiredCodeException": "Este código ha caducado. Pida uno nuevo.",
  "verifyError.InvalidParameterException": "Este número no fue aceptado. Use el formato internacional, por ejemplo +12025550100.",
  "verifyError.LimitExceededException": "Demasiados intentos. Espere un rato e inténtelo de nuevo.",
  "verifyError.NotAuthorizedException": "Su sesión ha caducado. Inicie sesión de nuevo.",
  codeLabel: "Código de verificación",
  confirmCode: "Confirmar",
  verified: "Su número está verificado.",
  backToCall: "Volver a Recibir una llamada",
  notFound: "Página no encontrada",
  signedInAs: "Sesión de {name}",
  signInError: "No se pudo iniciar sesión ({detail}). Inicie sesión de nuevo.",
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, es };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return dictionaries[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang, remember?: boolean) => void;
  t: Translate;
}

const I18nContext = createContext<I18n>({ lang: "en", setLang: () => {}, t: (k, v) => translate("en", k, v) });

/** The language the visitor chose on this site, if they ever did. */
export function savedLang(): Lang | null {
  try {
    const saved = localStorage.getItem("lang");
    return saved === "en" || saved === "es" ? saved : null;
  } catch {
    return null;
  }
}

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem("lang");
    if (saved === "en" || saved === "es") return saved;
  } catch {
    // storage blocked: fall through to the browser's language
  }
  return navigator.language?.toLowerCase().startsWith("es") ? "es" : "en";
}

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang);
  const setLang = useCallback((next: Lang, remember = true) => {
    setLangState(next);
    if (!remember) return;
    try {
      localStorage.setItem("lang", next);
    } catch {
      // not persisted; still switched for this visit
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang, t: ((k, v) => translate(lang, k, v)) as Translate }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
