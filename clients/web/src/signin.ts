// The sign-in form, shown when the URL carries no token: it reloads the page with the session in the query.
import { byId } from "./dom.js";
import { sessionQuery } from "./session.js";

export function showSignIn(message?: string): void {
  byId("signin").hidden = false;
  byId("app").hidden = true;
  const error = byId("signin-error");
  error.textContent = message ?? "";
  error.hidden = !message;
  const form = byId<HTMLFormElement>("signin-form");
  const query = new URLSearchParams(location.search);
  for (const [field, key] of [["signin-app", "app"], ["signin-user", "user"], ["signin-device", "device"]] as const) {
    const value = query.get(key);
    if (value) byId<HTMLInputElement>(field).value = value;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
    location.search = sessionQuery(value("signin-app"), value("signin-user"), value("signin-device"), value("signin-token"));
  });
}
