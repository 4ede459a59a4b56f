// On AWS the agent desktop embeds the Amazon Connect CCP (amazon-connect-streams) and pops the
// customer record from the contact's attributes: the ones the flows set (FirstName, LastName, VIP,
// LanguageCode) and the API's trusted ones (Verified, CustomerName) plus the website's (issue...).
// The streams library is loaded only here, only on AWS: it never reaches the customer pages.

/// <reference types="amazon-connect-streams" />
import { type DeskContact, verifiedBy } from "./desk";

/** The part of a streams `connect.Contact` the screen pop reads (structural, for tests). */
export interface StreamsContact {
  getContactId(): string;
  getAttributes(): Record<string, { name: string; value: string } | undefined>;
  getQueue(): { name: string; queueARN: string } | null;
  getInitialConnection(): { getEndpoint(): { phoneNumber: string } } | null;
  getInitiationMethod?(): string;
  getState(): { type: string };
}

export function deskContactFromStreams(contact: StreamsContact): DeskContact {
  const raw = contact.getAttributes();
  const attributes: Record<string, string> = {};
  for (const [key, entry] of Object.entries(raw)) if (entry) attributes[key] = entry.value;
  const pick = (...keys: string[]) => keys.map((k) => attributes[k]).find((v) => v) ?? null;
  const queue = contact.getQueue();
  const number = contact.getInitialConnection()?.getEndpoint().phoneNumber ?? "";
  return {
    contactId: contact.getContactId(),
    initiationMethod: contact.getInitiationMethod?.() ?? "",
    state: contact.getState().type,
    customerNumber: number,
    queueId: queue?.queueARN ?? null,
    queueName: queue?.name ?? null,
    enqueuedAt: null,
    connectedAt: null,
    onHold: false,
    attributes,
    screenPop: {
      firstName: pick("FirstName", "firstName"),
      lastName: pick("LastName", "lastName"),
      vip: pick("VIP", "vip"),
      verified: verifiedBy(attributes) ? "true" : pick("Verified", "verified"),
      verifiedBy: verifiedBy(attributes),
      issue: pick("issue", "Issue"),
      language: pick("LanguageCode", "language", "Language"),
      customerId: pick("CustomerId"),
      phoneNumber: number || null,
      previousContacts: [], // Streams has no contact history; the CCP's own contact search does.
    },
  };
}

/** Load streams, embed the CCP in `container`, call `onContact` for each contact's changes. */
export async function embedCcp(container: HTMLElement, ccpUrl: string, onContact: (contact: DeskContact | null) => void): Promise<void> {
  await import("amazon-connect-streams/release/connect-streams-min.js");
  const streams = (window as unknown as { connect: typeof connect }).connect;
  streams.core.initCCP(container, {
    ccpUrl,
    loginPopup: true,
    loginPopupAutoClose: true,
    softphone: { allowFramedSoftphone: true },
  });
  streams.contact((contact) => {
    const update = () => onContact(deskContactFromStreams(contact as unknown as StreamsContact));
    contact.onIncoming(update);
    contact.onConnecting(update);
    contact.onConnected(update);
    contact.onACW(update);
    contact.onDestroy(() => onContact(null));
  });
}
