// A short message at the bottom of the page for failed actions.
import { ImError } from "@imserver/client";
import { byId } from "./dom.js";

let timer: ReturnType<typeof setTimeout> | undefined;

export function notify(text: string): void {
  const element = byId("notice");
  element.textContent = text;
  element.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => (element.hidden = true), 6000);
}

export function describe(error: unknown): string {
  if (error instanceof ImError) return error.code > 0 ? `${error.code} ${error.reason}` : error.message;
  return error instanceof Error ? error.message : String(error);
}
