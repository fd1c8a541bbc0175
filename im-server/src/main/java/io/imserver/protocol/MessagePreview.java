package io.imserver.protocol;

import pb.MessageBody;

/**
 * The conversation-list preview of a message: the text itself (at most 100 characters, NUL characters left out: a
 * preview is for display, and PostgreSQL text cannot hold them; the message body keeps them) or the reference's tag.
 */
public final class MessagePreview {
    static final int MAX_TEXT_PREVIEW = 100;
    /** Preview of a recalled message. */
    public static final String RECALLED = "[消息已撤回]";

    private MessagePreview() {
    }

    public static String of(MessageBody body) {
        var content = body.getMessageContent();
        return switch (content.getContentCase()) {
            case TEXT -> truncate(content.getText().getText().replace("\u0000", ""));
            case FACE -> "[表情]";
            case VOICE -> "[录音]";
            case IMAGE -> "[图像]";
            case FILE -> "[文件]";
            case LOCATION -> "[地址]";
            case COMMAND -> "[指令推送]";
            case CUSTOM -> "[自定义]";
            case VIDEO -> "[视频]";
            case CONTENT_NOT_SET -> "";
        };
    }

    private static String truncate(String text) {
        if (text.codePointCount(0, text.length()) <= MAX_TEXT_PREVIEW) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_TEXT_PREVIEW));
    }
}
