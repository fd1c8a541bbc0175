package io.imserver.cluster;

/** The cluster tests on MariaDB (127.0.0.1:3306) and Redis (127.0.0.1:6379). */
class MariaDbClusterIT extends ClusterTestBase {
    @Override
    String engine() {
        return "mariadb";
    }
}
