// The friends panel: the user's friends (getfriends), an "Add friend" form (addexamine type 1 by user id with a
// message), and the friend requests addressed to the user (getexamine) with Accept / Refuse for pending ones
// (upexamine). Pushes `examine` (a new request) and `examined` (a decision on one's own request) refresh it.
import { type ImClient, pb } from "@imserver/client";
import { byId, h } from "./dom.js";
import { describe, notify } from "./notice.js";

const FRIEND_REQUEST = 1;
const PENDING = 0;
const ACCEPT = 1;
const REFUSE = 2;
const WAY_BY_ID = 4;
const REQUEST_PAGE = 50;

export class FriendsPanel {
  private readonly ui = {
    friends: byId("friends"),
    requests: byId("friend-requests"),
    form: byId<HTMLFormElement>("add-friend-form"),
    user: byId<HTMLInputElement>("add-friend-user"),
    text: byId<HTMLInputElement>("add-friend-text"),
  };

  constructor(private readonly client: ImClient) {
    client.on("push", (out) => {
      if (out.type === "examine" || out.type === "examined") void this.refresh();
    });
    client.on("state", ({ state }) => {
      if (state === "connected") void this.refresh();
    });
    this.ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.addFriend();
    });
  }

  async refresh(): Promise<void> {
    try {
      const [friends, requests] = await Promise.all([
        this.client.call("getfriends", "GetFriendListReq", {}, "GetFriendListResp"),
        this.client.call("getexamine", "GetExamineReq", { limit: REQUEST_PAGE }, "GetExamines"),
      ]);
      this.renderFriends(friends.friends);
      this.renderRequests(requests.examine.filter((r) => r.type === FRIEND_REQUEST));
    } catch (error) {
      notify(`friends: ${describe(error)}`);
    }
  }

  private async addFriend(): Promise<void> {
    const userId = Number(this.ui.user.value.trim());
    if (!Number.isSafeInteger(userId) || userId <= 0) {
      notify("add friend: enter a user id");
      return;
    }
    try {
      await this.client.call("addexamine", "AddExamine",
        { type: FRIEND_REQUEST, fid: userId, way: WAY_BY_ID, examinetext: this.ui.text.value }, "GetExamine");
      this.ui.form.reset();
      notify(`friend request sent to user ${userId}`);
    } catch (error) {
      notify(`add friend: ${describe(error)}`);
    }
  }

  private async decide(requesterId: number, examine: number): Promise<void> {
    try {
      await this.client.call("upexamine", "UpExamineReq",
        { type: FRIEND_REQUEST, userId: requesterId, examine }, "GetExamine");
    } catch (error) {
      notify(`friend request: ${describe(error)}`);
    }
    await this.refresh();
  }

  private renderFriends(friends: pb.FriendItem[]): void {
    this.ui.friends.replaceChildren(...friends.map((f) =>
      h("li", { class: "friend", "data-user-id": f.fId },
        h("span", { class: "friend-name" }, f.remark || f.nickname || `user ${f.fId}`),
        h("span", { class: "member-id" }, ` #${f.fId}`))));
  }

  private renderRequests(requests: pb.GetExamine[]): void {
    this.ui.requests.replaceChildren(...requests.map((r) =>
      h("li", { class: "friend-request", "data-user-id": r.userId },
        h("span", { class: "friend-name" }, r.nickname || `user ${r.userId}`),
        r.examinetext && h("span", { class: "request-text" }, ` “${r.examinetext}”`),
        r.examine === PENDING
          ? h("span", { class: "request-actions" },
            h("button", { type: "button", class: "accept-request", onclick: () => void this.decide(r.userId, ACCEPT) },
              "Accept"),
            h("button", { type: "button", class: "refuse-request", onclick: () => void this.decide(r.userId, REFUSE) },
              "Refuse"))
          : h("span", { class: "tag" }, r.examine === ACCEPT ? "accepted" : "refused"))));
  }
}
