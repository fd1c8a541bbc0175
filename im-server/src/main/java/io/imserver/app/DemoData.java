package io.imserver.app;

import io.imserver.auth.Identity;
import io.imserver.messaging.DirectoryService;
import io.imserver.messaging.GroupService;
import java.util.List;
import pb.GetUserGroupsReq;

/**
 * {@code --demo}: app 1 with users 1-3 and one group of the three, and a ready web-app URL per user
 * ({@code /?app=&user=&device=&token=}, read by {@code clients/web/src/session.ts}; {@code /seed.html} takes the same).
 */
final class DemoData {
    static final long APP_ID = 1;
    static final String GROUP_NAME = "Demo group";
    private static final String[][] USERS = {
            {"1", "Alice 爱丽丝", "https://api.dicebear.com/7.x/thumbs/svg?seed=alice"},
            {"2", "Bob 鲍勃", "https://api.dicebear.com/7.x/thumbs/svg?seed=bob"},
            {"3", "Carol 卡罗尔", "https://api.dicebear.com/7.x/thumbs/svg?seed=carol"},
    };

    private DemoData() {
    }

    /** Seeds what is missing (a restart with --demo changes nothing) and returns one URL per user. */
    static List<String> seed(DirectoryService directory, GroupService groups, String host, int wsPort) {
        directory.putApp(APP_ID, "demo");
        for (var u : USERS) {
            directory.putUser(APP_ID, Long.parseLong(u[0]), u[1], u[2], 0, "", "user" + u[0]);
        }
        var ownGroups = groups.groupsOf(new Identity(APP_ID, 1, 1), GetUserGroupsReq.getDefaultInstance());
        boolean hasGroup = ownGroups.getGroupsList().stream().anyMatch(g -> GROUP_NAME.equals(g.getName()));
        if (!hasGroup) {
            groups.create(APP_ID, GROUP_NAME, "the three demo users", "", 1, List.of(2L, 3L)).join();
        }
        return java.util.Arrays.stream(USERS).map(u -> {
            long userId = Long.parseLong(u[0]);
            var token = directory.issueToken(APP_ID, userId, 1, 30L * 24 * 3600);
            return "http://" + host + ":" + wsPort + "/?app=" + APP_ID + "&user=" + userId + "&device=1&token="
                    + token.token();
        }).toList();
    }
}
