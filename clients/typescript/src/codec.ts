// Protobuf encoding and decoding of the wire messages (package pb), on the static code pbjs generated from
// im.proto (see scripts/gen-proto.mjs).
import type { IConversionOptions } from "protobufjs";
import type { Messages } from "./generated/im.js";
import { pb } from "./generated/im-static.js";

/** A message to send: every field optional, nested messages too (unset fields are the proto3 defaults). */
export type Init<T> = {
  [K in keyof T]?: T[K] extends Uint8Array
    ? Uint8Array
    : T[K] extends (infer U)[]
      ? Init<U>[]
      : T[K] extends object | null | undefined
        ? Init<NonNullable<T[K]>> | null
        : T[K];
};

export type MessageName = keyof Messages;

/** What pbjs generates for each message (the part used here). */
interface StaticMessageType {
  fromObject(object: Record<string, unknown>): object;
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: IConversionOptions): Record<string, unknown>;
}

const types = pb as unknown as Record<MessageName, StaticMessageType>;

// Decoded values as plain objects: numbers for 64-bit integers and enums, defaults filled in, and the name of the set
// member of each oneof.
const TO_OBJECT: IConversionOptions = {
  longs: Number,
  enums: Number,
  defaults: true,
  arrays: true,
  oneofs: true,
};

export function encode<K extends MessageName>(name: K, value: Init<Messages[K]>): Uint8Array {
  const type = types[name];
  return type.encode(type.fromObject(value as Record<string, unknown>)).finish();
}

/** Decodes `bytes` as message `name`; throws on bytes that are not such a message. */
export function decode<K extends MessageName>(name: K, bytes: Uint8Array): Messages[K] {
  const type = types[name];
  const object = type.toObject(type.decode(bytes), TO_OBJECT);
  for (const key of Object.keys(object)) {
    // synthetic oneofs of proto3 `optional` fields (e.g. `_sinceVersion`) are noise to the caller
    if (key.startsWith("_")) delete object[key];
  }
  return object as unknown as Messages[K]; // the shape im.ts describes, generated from the same schema
}
