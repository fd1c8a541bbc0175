// The connection indicator: a dot and a word, with the state in data-state for styling and tests.
import type { StateChange } from "@imserver/client";
import { ImError } from "@imserver/client";
import { byId } from "./dom.js";

export type Indicator = StateChange["state"] | "refused" | "kicked";

const LABELS: Record<Indicator, string> = {
  disconnected: "Offline",
  connecting: "Connecting…",
  connected: "Online",
  reconnecting: "Reconnecting…",
  closed: "Disconnected",
  refused: "Sign-in refused",
  kicked: "Signed in elsewhere",
};

export function showConnection(state: Indicator, cause?: unknown): void {
  const element = byId("connection");
  element.dataset.state = state;
  let text = LABELS[state];
  if (cause instanceof ImError && (state === "refused" || state === "reconnecting" || state === "closed")) {
    if (state === "refused") text += `: ${cause.code} ${cause.reason}`;
    element.title = `${cause.code} ${cause.reason}`;
  } else {
    element.removeAttribute("title");
  }
  byId("connection-text").textContent = text;
}
