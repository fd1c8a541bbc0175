package io.imserver.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Cluster nodes the benchmark starts itself ({@code --nodes N}): N {@link ChildServer}s on one shared database and
 * Redis, each named {@code bench-nodeI} in a cluster of its own name. Clients are spread over the nodes; the admin
 * API is the first node's, and metrics add up over all nodes.
 */
final class ChildCluster implements Target {
    private final List<ChildServer> nodes;
    private final AdminApi admin;

    private ChildCluster(List<ChildServer> nodes) {
        this.nodes = List.copyOf(nodes);
        this.admin = nodes.get(0).admin();
        for (var node : nodes.subList(1, nodes.size())) {
            admin.addPeer(node.admin());
        }
    }

    static ChildCluster start(int count, Path serverCmd, String javaOpts, String dbUrl, String redisUrl, Path out,
                              boolean keepData, Progress progress) throws IOException, InterruptedException {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        var nodes = new ArrayList<ChildServer>();
        try {
            for (int i = 0; i < count; i++) {
                nodes.add(ChildServer.start(serverCmd, javaOpts, dbUrl, List.of("--redis-url", redisUrl,
                                "--cluster-name", name, "--node-id", "bench-node" + i),
                        out.resolve("server-node" + i + ".log"), keepData, progress));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(ChildServer::close);
            throw e;
        }
        return new ChildCluster(nodes);
    }

    @Override
    public List<String> wsUrls() {
        return nodes.stream().flatMap(n -> n.wsUrls().stream()).toList();
    }

    @Override
    public AdminApi admin() {
        return admin;
    }

    /** The first node's process: JFR and a forced GC apply to it. */
    @Override
    public long pid() {
        return nodes.get(0).pid();
    }

    @Override
    public boolean isServer() {
        return true;
    }

    @Override
    public String describe() {
        return nodes.size() + "-node cluster: " + nodes.stream().map(ChildServer::describe).toList();
    }

    @Override
    public void close() {
        nodes.forEach(ChildServer::close);
    }
}
