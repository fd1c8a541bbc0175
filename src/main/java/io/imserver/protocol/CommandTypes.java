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

    /** Push: a new message (data: MessageItem). */
    public static final String PUSH_MESSAGE = "message";
    /** Push before close: this connection was replaced by a newer sign-in. */
    public static final String PUSH_KICK = "kick";
    /** Reply to a frame that could not be decoded. */
    public static final String ERROR = "error";

    private CommandTypes() {
    }
}
