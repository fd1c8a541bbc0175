package io.imserver.bench;

import java.util.List;

/** A running node (or several) given by {@code --ws}/{@code --nodes}, {@code --admin}, {@code --admin-token}. */
final class ExternalTarget implements Target {
    private final List<String> wsUrls;
    private final AdminApi admin;

    ExternalTarget(List<String> wsUrls, String adminUrl, String adminToken) {
        this.wsUrls = List.copyOf(wsUrls);
        this.admin = new AdminApi(adminUrl, adminToken);
    }

    @Override
    public List<String> wsUrls() {
        return wsUrls;
    }

    @Override
    public AdminApi admin() {
        return admin;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public boolean isServer() {
        return true;
    }

    @Override
    public String describe() {
        return "running node(s) " + wsUrls + ", admin " + admin.base();
    }

    @Override
    public void close() {
    }
}
