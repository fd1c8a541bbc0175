package io.imserver.messaging;

/** The social use cases the gateway serves: friends and blocklist, requests ("examine"), moments ("circle"). */
public record SocialServices(FriendService friends, ExamineService examines, MomentService moments) {
}
