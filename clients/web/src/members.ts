// The group panel: name, introduction, member count (groupbyuser) and the members this client knows of. The protocol
// has no command listing a group's members, so "known" means: this user, the ids it created the group with, and
// everyone who wrote in the loaded history.
import { h } from "./dom.js";

export interface MembersView {
  groupName: string;
  introduction: string;
  memberCount: number | undefined;
  known: { id: number; name: string; me: boolean }[];
}

export function renderMembers(panel: HTMLElement, view: MembersView): void {
  const list = byClass(panel, "members-list");
  byClass(panel, "members-title").textContent = view.groupName;
  byClass(panel, "members-intro").textContent = view.introduction;
  byClass(panel, "members-count").textContent = view.memberCount === undefined
    ? "not a member any more"
    : `${view.memberCount} member${view.memberCount === 1 ? "" : "s"}`;
  list.replaceChildren(...view.known.map((m) =>
    h("li", { class: "member", "data-user-id": m.id }, h("span", { class: "member-name" }, m.name),
      h("span", { class: "member-id" }, ` #${m.id}`), m.me && h("span", { class: "tag" }, "you"))));
}

function byClass(panel: HTMLElement, name: string): HTMLElement {
  const element = panel.querySelector<HTMLElement>(`.${name}`);
  if (!element) throw new Error(`.${name} is missing from the members panel`);
  return element;
}
