// What the composer sends: a text, an image by URL or a file by URL, as the MessageBody of a sendmessage.
import { MessageType, type Init, type MessageBody } from "@imserver/client";
import { safeUrl } from "./dom.js";

export type Kind = "text" | "image" | "file";

/** The body for the input, or an error message to show. */
export function messageBody(kind: Kind, input: string): Init<MessageBody> | string {
  const value = input.trim();
  if (value === "") return "nothing to send";
  if (kind === "text") return { messageType: MessageType.MT_TEXT, messageContent: { text: { text: input } } };
  const url = safeUrl(value);
  if (!url) return "expected an http(s) URL";
  if (kind === "image") return { messageType: MessageType.MT_IMAGE, messageContent: { image: { url } } };
  return { messageType: MessageType.MT_FILE, messageContent: { file: { url, name: fileName(url) } } };
}

function fileName(url: string): string {
  const last = new URL(url).pathname.split("/").filter(Boolean).at(-1);
  if (!last) return url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
