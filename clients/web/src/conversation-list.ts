// The conversation list: name, preview (or "typing…"), unread badge, pin and mute marks.
import { h } from "./dom.js";
import { type Conversation, listOrder, PEER_GROUP, unread } from "./model.js";

export interface ListView {
  conversations: Iterable<Conversation>;
  selectedId: number | undefined;
  typingIn: (conversationId: number) => string | undefined;
  onSelect: (conversationId: number) => void;
}

export function renderConversationList(list: HTMLElement, view: ListView): void {
  const rows = [...view.conversations].sort(listOrder).map((c) => row(c, view));
  list.replaceChildren(...rows);
}

function row(c: Conversation, view: ListView): HTMLLIElement {
  const count = unread(c);
  const typing = view.typingIn(c.id);
  const classes = ["conversation"];
  if (c.id === view.selectedId) classes.push("selected");
  if (c.pinned) classes.push("pinned");
  if (c.muted) classes.push("muted");
  if (count > 0) classes.push("has-unread");
  return h("li", {
      class: classes.join(" "),
      "data-id": c.id,
      "data-peer-type": c.peerType,
      "data-peer-id": c.peerId,
      "data-unread": count,
      tabindex: 0,
      onclick: () => view.onSelect(c.id),
      onkeydown: (event) => {
        if ((event as KeyboardEvent).key === "Enter") view.onSelect(c.id);
      },
    },
    h("div", { class: "avatar", "aria-hidden": "true" }, initial(c.name)),
    h("div", { class: "summary" },
      h("div", { class: "title-line" },
        h("span", { class: "name" }, c.name),
        c.peerType === PEER_GROUP && h("span", { class: "tag group-tag" }, "group"),
        c.pinned && h("span", { class: "tag pin-mark", title: "pinned" }, "pinned"),
        c.muted && h("span", { class: "tag mute-mark", title: "muted" }, "muted")),
      h("div", { class: typing ? "preview typing" : "preview" }, typing ?? c.preview)),
    count > 0 && h("span", { class: c.muted ? "badge muted-badge" : "badge", "aria-label": `${count} unread` },
      count > 99 ? "99+" : count));
}

export function initial(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? "?";
}
