package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageType;
import pb.Text;

class MessageItemsTest {

    @Test
    void groupCopyWithAppendedConversationId_parsesToTheItemBuiltForThatMember() throws Exception {
        var body = MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText("hi all"))).build();
        var m = new StoredMessage(77, 1, StreamType.GROUP, 9, 5, 2, 3, 1, 2, 9, List.of(4L, 6L), 1, body.toByteArray(),
                1_700_000_000_000L, 0, "ann", "https://a/x.png", 0, "hi all", "c-1", 0);
        var base = MessageItems.of(m, 0).toByteString();
        for (long conversationId : new long[] {1, 300, 1L << 40}) {
            var appended = MessageItem.parseFrom(MessageItems.withConversation(base, conversationId));
            assertThat(appended).isEqualTo(MessageItems.of(m, conversationId));
        }
    }
}
