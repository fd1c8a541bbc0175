package io.imserver.api.grpc;

import io.grpc.Metadata;
import io.grpc.stub.StreamObserver;
import io.imserver.auth.Identity;
import io.imserver.auth.TokenService;
import io.imserver.messaging.BusinessMessageService;
import io.imserver.messaging.Failures;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pb.GreeterGrpc;
import pb.SendMessage;
import pb.SystemMessageResp;

/**
 * {@code pb.Greeter/SystemMsgByConversation}: the reference system's service-to-service call. The caller is an app
 * user: metadata {@code app_id}, {@code user_id}, {@code device_id}, {@code token} (the same token as WebSocket
 * sign-in; optional {@code request_id}, logged). {@code sender_type} 1 puts a system message from the caller into the
 * receiver's conversation only (into a group only if the caller is a member); 2 sends as the caller like
 * {@code sendmessage}. {@code sender_id} is always the caller. Every outcome is a reply: {@code err_code} 200 "ok",
 * else the error code of docs/PROTOCOL.md and its text.
 */
final class GreeterService extends GreeterGrpc.GreeterImplBase {
    private static final Logger log = LoggerFactory.getLogger(GreeterService.class);

    private final TokenService tokens;
    private final BusinessMessageService messages;

    GreeterService(TokenService tokens, BusinessMessageService messages) {
        this.tokens = tokens;
        this.messages = messages;
    }

    @Override
    public void systemMsgByConversation(SendMessage request, StreamObserver<SystemMessageResp> out) {
        var headers = MetadataInterceptor.HEADERS.get();
        var requestId = header(headers, "request_id");
        SystemMessageResp reply;
        try {
            var caller = authenticate(headers);
            var stored = messages.sendAs(caller, request).join();
            reply = SystemMessageResp.newBuilder().setErrCode(ErrorCode.OK.code())
                    .setErrMsg("ok: message " + stored.getId()).build();
        } catch (RuntimeException e) {
            var error = Failures.toClientError(e);
            if (error == null) {
                log.error("SystemMsgByConversation failed (request_id {})", requestId, Failures.unwrap(e));
                error = new ImException(ErrorCode.INTERNAL_ERROR, "internal error");
            }
            reply = SystemMessageResp.newBuilder().setErrCode(error.code().code()).setErrMsg(error.getMessage()).build();
        }
        log.debug("SystemMsgByConversation request_id {}: {} {}", requestId, reply.getErrCode(), reply.getErrMsg());
        out.onNext(reply);
        out.onCompleted();
    }

    private Identity authenticate(Metadata headers) {
        return tokens.verify(id(headers, "app_id"), id(headers, "user_id"), id(headers, "device_id"),
                header(headers, "token"));
    }

    private static long id(Metadata headers, String name) {
        var value = header(headers, name);
        if (value == null) {
            throw new ImException(ErrorCode.TOKEN_INVALID, "metadata " + name + ": missing (expected: app_id, user_id,"
                    + " device_id and token)");
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ImException(ErrorCode.TOKEN_INVALID, "metadata " + name + ": " + value + " (expected: an integer)");
        }
    }

    private static String header(Metadata headers, String name) {
        return headers == null ? null : headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }
}
