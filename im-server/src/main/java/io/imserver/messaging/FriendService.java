package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.protocol.ImException;
import io.imserver.store.Friend;
import io.imserver.store.Store;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import pb.BlockListResp;
import pb.BlockReq;
import pb.DeleteFriendReq;
import pb.FriendItem;
import pb.GetFriendListReq;
import pb.GetFriendListResp;

/**
 * The caller's friends and blocklist: {@code getfriends}, {@code searchfriends}, {@code upremarkfriend},
 * {@code deletefriend}, {@code block}, {@code unblock}, {@code getblocks}. Friendships begin by an accepted request
 * ({@link ExamineService}). {@code user_id}/{@code app_id} fields of the requests are ignored: the caller is the
 * signed-in user.
 */
public final class FriendService {
    private final Store store;
    private final Clock clock;

    public FriendService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code getfriends}: all the caller's friends by id (a keyword, if given, filters as {@code searchfriends}). */
    public GetFriendListResp friends(Identity who, GetFriendListReq req) {
        var keyword = SocialTexts.require("keyword", req.getKeyword(), SocialTexts.MAX_KEYWORD).strip();
        return list(who, keyword.isEmpty() ? null : keyword);
    }

    /** {@code searchfriends}: the caller's friends whose nickname, remark or account contains the keyword. */
    public GetFriendListResp search(Identity who, GetFriendListReq req) {
        var keyword = SocialTexts.require("keyword", req.getKeyword(), SocialTexts.MAX_KEYWORD).strip();
        if (keyword.isEmpty()) {
            throw ImException.invalid("keyword: '' (expected: a word to search nickname, remark and account for)");
        }
        return list(who, keyword);
    }

    private GetFriendListResp list(Identity who, String keyword) {
        var resp = GetFriendListResp.newBuilder();
        store.read(tx -> tx.social().friends(who.appId(), who.userId(), keyword)).forEach(f -> resp.addFriends(item(f)));
        return resp.build();
    }

    static FriendItem item(Friend f) {
        return FriendItem.newBuilder().setFId(f.friendId()).setUserId(f.userId()).setRemark(f.remark())
                .setCreateTime(SocialTexts.seconds(f.createdAt())).setUpdateTime(SocialTexts.seconds(f.updatedAt()))
                .setAppId(f.appId()).setAvatarUrl(f.avatarUrl()).setNickname(f.nickname()).setWay(f.way())
                .setExamine(1).build();
    }

    /** {@code upremarkfriend}: the caller's remark for friend {@code f_id}; replies the updated entry. */
    public CompletableFuture<FriendItem> setRemark(Identity who, FriendItem req) {
        DirectoryService.requirePositive("f_id", req.getFId());
        var remark = SocialTexts.require("remark", req.getRemark(), SocialTexts.MAX_REMARK);
        return store.write(tx -> {
            if (!tx.social().setRemark(who.appId(), who.userId(), req.getFId(), remark, clock.millis())) {
                throw notAFriend(req.getFId());
            }
            return item(tx.social().friend(who.appId(), who.userId(), req.getFId()).orElseThrow());
        });
    }

    /** {@code deletefriend}: ends the friendship with {@code f_id}, for both. */
    public CompletableFuture<Void> delete(Identity who, DeleteFriendReq req) {
        DirectoryService.requirePositive("f_id", req.getFId());
        return store.write(tx -> {
            if (!tx.social().unfriend(who.appId(), who.userId(), req.getFId())) {
                throw notAFriend(req.getFId());
            }
            return null;
        });
    }

    /** {@code block}: the caller refuses 1:1 messages from {@code user_id} from now on (idempotent). */
    public CompletableFuture<Void> block(Identity who, BlockReq req) {
        DirectoryService.requirePositive("user_id", req.getUserId());
        if (req.getUserId() == who.userId()) {
            throw ImException.invalid("user_id: " + req.getUserId() + " (expected: another user than yourself)");
        }
        return store.write(tx -> {
            if (tx.users().find(who.appId(), req.getUserId()).isEmpty()) {
                throw ImException.notFound("user " + req.getUserId() + " does not exist in app " + who.appId());
            }
            tx.social().block(who.appId(), who.userId(), req.getUserId(), clock.millis());
            return null;
        });
    }

    /** {@code unblock}: the caller accepts 1:1 messages from {@code user_id} again (idempotent). */
    public CompletableFuture<Void> unblock(Identity who, BlockReq req) {
        DirectoryService.requirePositive("user_id", req.getUserId());
        return store.write(tx -> {
            tx.social().unblock(who.appId(), who.userId(), req.getUserId());
            return null;
        });
    }

    /** {@code getblocks}: the users the caller has blocked, ascending. */
    public BlockListResp blocked(Identity who) {
        return BlockListResp.newBuilder()
                .addAllUserIds(store.read(tx -> tx.social().blocked(who.appId(), who.userId()))).build();
    }

    private static ImException notAFriend(long userId) {
        return ImException.notFound("user " + userId + " is not your friend");
    }
}
