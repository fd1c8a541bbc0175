package io.imserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import pb.Face;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageType;
import pb.Text;

class MessagePreviewTest {
    @Test
    void text_isItsOwnPreview_cutAt100Characters() {
        var longText = "字".repeat(150);
        assertThat(MessagePreview.of(text("hi"))).isEqualTo("hi");
        assertThat(MessagePreview.of(text(longText))).hasSize(100);
    }

    @Test
    void otherTypes_useTheReferenceTags() {
        var face = MessageBody.newBuilder().setMessageType(MessageType.MT_FACE)
                .setMessageContent(MessageContent.newBuilder().setFace(Face.newBuilder().setFaceId(1))).build();
        assertThat(MessagePreview.of(face)).isEqualTo("[表情]");
    }

    static MessageBody text(String t) {
        return MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(t))).build();
    }
}
