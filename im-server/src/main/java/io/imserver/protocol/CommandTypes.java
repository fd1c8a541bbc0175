package io.imserver.protocol;

/** The {@code Input.type} / {@code Output.type} names of the wire protocol. */
public final class CommandTypes {
    public static final String SIGN = "sign";
    public static final String HEARTBEAT = "heartbeat";
    public static final String SEND_MESSAGE = "sendmessage";
    public static final String GET_CONVERSATION_LIST = "getconversationlist";
    public static final String SYNC = "sync";
    public static final String MESSAGE_READ = "messageread";
    public static final String GET_USER_INFO = "getuserinfo";
    public static final String ADD_CONVERSATION = "addconversation";
    public static final String UP_CONVERSATION = "upconversation";
    public static final String DISTURB_CONVERSATION = "disturbconversation";
    public static final String CHAT_READ_NUM = "chatreadnum";
    public static final String CREATE_GROUP = "creatgroup";
    public static final String GROUP_BY_USER = "groupbyuser";
    // additions of this project
    public static final String RECALL = "recall";
    public static final String DELETE_MESSAGE = "deletemessage";
    public static final String TYPING = "typing";
    public static final String ONLINE = "online";
    public static final String GROUP_READ_COUNT = "groupreadcount";
    // social commands of the reference system: friends, requests ("examine"), moments ("circle")
    public static final String GET_FRIENDS = "getfriends";
    public static final String SEARCH_FRIENDS = "searchfriends";
    public static final String UP_REMARK_FRIEND = "upremarkfriend";
    public static final String DELETE_FRIEND = "deletefriend";
    public static final String ADD_EXAMINE = "addexamine";
    public static final String GET_EXAMINE = "getexamine";
    public static final String UP_EXAMINE = "upexamine";
    public static final String EXAMINE_READ_NUM = "examinereadnum";
    public static final String ADD_TREND = "addtrend";
    public static final String GET_TRENDS = "gettrends";
    public static final String THUMB = "thumb";
    public static final String ADD_TRENDS_COMMENT = "addtrendscomment";
    // social additions of this project
    public static final String BLOCK = "block";
    public static final String UNBLOCK = "unblock";
    public static final String GET_BLOCKS = "getblocks";
    public static final String TRENDS_READ_NUM = "trendsreadnum";
    // group management (the reference's upgroup and delgroup, and additions)
    public static final String UP_GROUP = "upgroup";
    public static final String DEL_GROUP = "delgroup";
    public static final String GET_GROUP_USERS = "getgroupusers";
    public static final String ADD_GROUP_USERS = "addgroupusers";
    public static final String REMOVE_GROUP_USERS = "removegroupusers";
    public static final String SET_GROUP_ROLE = "setgrouprole";
    public static final String TRANSFER_GROUP = "transfergroup";
    public static final String SET_GROUP_LABEL = "setgrouplabel";
    public static final String MUTE_GROUP_USER = "mutegroupuser";
    public static final String MUTE_ALL = "muteall";
    public static final String SET_ANNOUNCEMENT = "setannouncement";
    public static final String QUIT_GROUP = "quitgroup";

    /** Push: a new message (data: MessageItem). */
    public static final String PUSH_MESSAGE = "message";
    /** Push: a message was recalled (data: the recipient's MessageItem, status 1). */
    public static final String PUSH_RECALL = "recalled";
    /** Push to the reader's other devices: its read position moved (data: ReadReceipt). */
    public static final String PUSH_READ_SYNC = "readsync";
    /** Push to a 1:1 sender's devices: the peer has read up to a seq (data: ReadReceipt). */
    public static final String PUSH_RECEIPT = "receipt";
    /** Push: someone is typing to this user or in a group (data: TypingNotice); never stored. */
    public static final String PUSH_TYPING = "peertyping";
    /** Push before close: this connection was replaced by a newer sign-in. */
    public static final String PUSH_KICK = "kick";
    /** Push to the devices a request is addressed to (the user, or a group's owner and admins): data GetExamine. */
    public static final String PUSH_EXAMINE = "examine";
    /** Push to the requester's devices: its request was accepted or refused (data: GetExamine, examine 1 or 2). */
    public static final String PUSH_EXAMINED = "examined";
    /** Reply to a frame that could not be decoded. */
    public static final String ERROR = "error";

    private CommandTypes() {
    }
}
