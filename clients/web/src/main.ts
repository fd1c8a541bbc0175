// Entry point: sign in from the URL's query, or show the sign-in form.
import { ChatApp } from "./app.js";
import { byId } from "./dom.js";
import { readSession } from "./session.js";
import { showSignIn } from "./signin.js";

const session = readSession(location);
if (!session) {
  showSignIn(new URLSearchParams(location.search).has("token") ? "the link is incomplete: app, user and token are needed" : undefined);
} else {
  byId("signin").hidden = true;
  byId("app").hidden = false;
  void new ChatApp(session).start();
}
