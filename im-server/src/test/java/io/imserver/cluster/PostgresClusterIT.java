package io.imserver.cluster;

/** The cluster tests on PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379). */
class PostgresClusterIT extends ClusterTestBase {
    @Override
    String engine() {
        return "postgresql";
    }
}
