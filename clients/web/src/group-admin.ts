// Group management in the members panel (docs/PROTOCOL.md, "Group management"): the real member list
// (getgroupusers) with role and mute state, and for the owner and admins: rename, announcement, add a member by id,
// and per member remove, make admin / make member (owner only) and mute / unmute. Also turns the notices every change
// writes into the group's stream (system messages holding a GroupNotice) into readable lines.
import { decode, type ImClient, type MessageItem, type pb } from "@imserver/client";
import { h } from "./dom.js";

const ROLE_MEMBER = 1;
const ROLE_ADMIN = 2;
const ROLE_OWNER = 3;
const ROLE_NAMES: Record<number, string> = { [ROLE_MEMBER]: "member", [ROLE_ADMIN]: "admin", [ROLE_OWNER]: "owner" };
/** GroupUser.muted_until of a member muted until unmuted (2^63-1, as close as a JS number gets). */
const UNTIL_UNMUTED = 9.2e18;
/** A mute from the panel lasts an hour. */
const MUTE_SECONDS = 3600;

export interface GroupAdminView {
  client: ImClient;
  groupId: number;
  myUserId: number;
  /** the display name of a user, as far as the app knows it */
  nameOf: (userId: number) => string;
  /** tells the user what went wrong */
  notify: (text: string) => void;
  /** after a change succeeded: the group's name or members may show elsewhere too */
  onChanged: () => void;
}

/** Fills `container` with the group's members and, for its owner and admins, the management controls. */
export async function renderGroupAdmin(container: HTMLElement, view: GroupAdminView): Promise<void> {
  const { client, groupId } = view;
  const reply = await client.call("getgroupusers", "GroupUserReq", { groupId, type: 0, limit: 100 }, "GroupUserResp");
  const members = reply.groupUser;
  const myRole = members.find((m) => m.userId === view.myUserId)?.type ?? ROLE_MEMBER;
  const manager = myRole === ROLE_OWNER || myRole === ROLE_ADMIN;
  const refresh = () => renderGroupAdmin(container, view).catch((error) => view.notify(`members: ${String(error)}`));
  const act = (what: string, action: () => Promise<unknown>) => async () => {
    try {
      await action();
      view.onChanged();
      await refresh();
    } catch (error) {
      view.notify(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const now = Date.now();

  const rows = members.map((m) => {
    const muted = m.mutedUntil > now;
    const mayChange = manager && m.userId !== view.myUserId && m.type !== ROLE_OWNER
      && (myRole === ROLE_OWNER || m.type === ROLE_MEMBER);
    return h("li", { class: "group-member", "data-user-id": m.userId, "data-role": m.type },
      h("span", { class: "member-name" }, m.label || view.nameOf(m.userId)),
      h("span", { class: "member-id" }, ` #${m.userId} `),
      h("span", { class: "tag role" }, ROLE_NAMES[m.type] ?? String(m.type)),
      muted && h("span", { class: "tag muted" }, "muted"),
      mayChange && h("button", { type: "button", class: "remove-member",
        onclick: act("remove", () => client.call("removegroupusers", "GroupUsersReq", { groupId, userIds: [m.userId] }, "GroupUsersReq")) },
        "Remove"),
      mayChange && myRole === ROLE_OWNER && h("button", { type: "button", class: "toggle-admin",
        onclick: act("role", () => client.call("setgrouprole", "AddUserbyGroup",
          { groupId, userId: m.userId, istype: m.type === ROLE_ADMIN ? ROLE_MEMBER : ROLE_ADMIN }, "GroupUser")) },
        m.type === ROLE_ADMIN ? "Make member" : "Make admin"),
      mayChange && h("button", { type: "button", class: "toggle-mute",
        onclick: act("mute", () => client.call("mutegroupuser", "GroupMuteReq",
          { groupId, userId: m.userId, durationS: muted ? 0 : MUTE_SECONDS }, "GroupUser")) },
        muted ? "Unmute" : "Mute 1 h"));
  });

  const controls = manager ? [
    form("rename", "New group name", "Rename", (name) => client.call("upgroup", "Group", { groupId, name }, "Group"), act),
    form("announcement", "Announcement", "Announce",
      (announcement) => client.call("setannouncement", "Group", { groupId, announcement }, "Group"), act),
    form("add-member", "User id to add", "Add", (id) => {
      if (!/^\d+$/.test(id)) return Promise.reject(new Error("a user id, e.g. 3"));
      return client.call("addgroupusers", "GroupUsersReq", { groupId, userIds: [Number(id)] }, "GroupUsersReq");
    }, act),
  ] : [];
  container.replaceChildren(h("h3", {}, "Members"), h("ul", { class: "group-members" }, ...rows), ...controls);
}

function form(name: string, placeholder: string, label: string, submit: (value: string) => Promise<unknown>,
  act: (what: string, action: () => Promise<unknown>) => () => Promise<void>): HTMLFormElement {
  const input = h("input", { class: `${name}-input`, placeholder, "aria-label": placeholder, required: true });
  const element = h("form", { class: `inline-form group-admin-${name}` }, input,
    h("button", { type: "submit", class: `${name}-submit` }, label));
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    void act(name, () => submit(input.value.trim()))();
  });
  return element;
}

/** The readable line of a group notice (a system message with a command body), or undefined for other messages. */
export function noticeText(item: MessageItem, nameOf: (userId: number) => string): string | undefined {
  const command = item.messageBody?.messageContent?.command;
  if (item.senderType !== 1 || !command) return undefined;
  let n: pb.GroupNotice;
  try {
    n = decode("GroupNotice", command.data);
  } catch {
    return undefined;
  }
  const who = n.operatorId === 0 ? "The administrator" : nameOf(n.operatorId);
  const them = n.userIds.map(nameOf).join(", ");
  switch (n.event) {
    case 1: return `${who} renamed the group to “${n.group?.name ?? ""}”`;
    case 2: return `${who} dissolved the group`;
    case 3: return `${who} added ${them}`;
    case 4: return n.userIds.length === 1 && n.userIds[0] === n.operatorId ? `${them} left the group` : `${who} removed ${them}`;
    case 5: return `${who} made ${them} ${n.role === ROLE_ADMIN ? "an admin" : "a member"}`;
    case 6: return `${who} handed the group over to ${them}`;
    case 7: return `${them} is now called “${n.label}” here`;
    case 8: return n.mutedUntil === 0 ? `${who} unmuted ${them}`
      : n.mutedUntil >= UNTIL_UNMUTED ? `${who} muted ${them}` : `${who} muted ${them} until ${new Date(n.mutedUntil).toLocaleString()}`;
    case 9: return n.group?.ban === 1 ? `${who} muted everyone but the owner and admins` : `${who} unmuted the group`;
    case 10: return n.group?.announcement ? `${who} announced: ${n.group.announcement}` : `${who} removed the announcement`;
    default: return `group change ${n.event}`;
  }
}
