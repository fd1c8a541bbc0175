package io.imserver.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The machine a run was measured on.
 *
 * @param cores available processors
 * @param memTotalBytes MemTotal of /proc/meminfo
 * @param cpuModel first "model name" of /proc/cpuinfo
 * @param jdk vendor and version of the JVM running the tool (the child server runs on the same JDK)
 * @param os name and kernel version
 * @param host host name
 * @param loadAtStart /proc/loadavg when the run started
 * @param loadAtEnd /proc/loadavg when it ended
 * @param generatorGc the garbage collectors of the JVM running the tool (its pauses stop the load it generates)
 */
public record Machine(int cores, long memTotalBytes, String cpuModel, String jdk, String os, String host,
                      String loadAtStart, String loadAtEnd, String generatorGc) {

    static Machine probe() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readMemTotal(), readCpuModel(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), readHost(), loadavg(), null,
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", ")));
    }

    Machine withLoadAtEnd() {
        return new Machine(cores, memTotalBytes, cpuModel, jdk, os, host, loadAtStart, loadavg(), generatorGc);
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static long readMemTotal() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return -1;
    }

    private static String readCpuModel() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "?";
    }

    private static String readHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }
}
