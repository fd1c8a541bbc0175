// Who signs in: the query of the page URL, as the server's --demo prints it: ?app=1&user=1&device=1&token=...
// (optional: ws=ws://host:port/ws to use another server than the one serving the page).

export interface Session {
  appId: number;
  userId: number;
  deviceId: number;
  token: string;
  url: string;
}

function positive(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/** The session in the page's query, or undefined when app, user or token is missing or malformed. */
export function readSession(location: Location): Session | undefined {
  const query = new URLSearchParams(location.search);
  const appId = positive(query.get("app"));
  const userId = positive(query.get("user"));
  const deviceId = positive(query.get("device") ?? "1");
  const token = query.get("token") ?? "";
  if (!appId || !userId || !deviceId || token === "") return undefined;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = query.get("ws") || `${scheme}//${location.host}/ws`;
  return { appId, userId, deviceId, token, url };
}

/** The query string of a session (what the sign-in form navigates to). */
export function sessionQuery(appId: string, userId: string, deviceId: string, token: string): string {
  return "?" + new URLSearchParams({ app: appId, user: userId, device: deviceId || "1", token }).toString();
}
