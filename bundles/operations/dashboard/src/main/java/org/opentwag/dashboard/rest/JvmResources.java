package org.opentwag.dashboard.rest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The guide's "Resources" page: heap, threads, CPU. CPU loads come from the platform MBean attributes so that no
 * JDK-internal package ({@code com.sun.management}) has to be imported in OSGi.
 */
public record JvmResources(Memory heap, Memory nonHeap, int threads, int peakThreads, int daemonThreads,
                           int availableProcessors, Double processCpuLoad, Double systemCpuLoad,
                           double systemLoadAverage, long uptimeSeconds, String startTime, String javaVersion) {

    /** Bytes; {@code max} is -1 when undefined. */
    public record Memory(long used, long committed, long max) {
        static Memory of(MemoryUsage u) {
            return new Memory(u.getUsed(), u.getCommitted(), u.getMax());
        }
    }

    public static JvmResources current() {
        var memory = ManagementFactory.getMemoryMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        var os = ManagementFactory.getOperatingSystemMXBean();
        var runtime = ManagementFactory.getRuntimeMXBean();
        return new JvmResources(Memory.of(memory.getHeapMemoryUsage()), Memory.of(memory.getNonHeapMemoryUsage()),
                threads.getThreadCount(), threads.getPeakThreadCount(), threads.getDaemonThreadCount(),
                os.getAvailableProcessors(), osDouble("ProcessCpuLoad"), osDouble("CpuLoad"),
                os.getSystemLoadAverage(), runtime.getUptime() / 1000,
                Instant.ofEpochMilli(runtime.getStartTime()).toString(), Runtime.version().toString());
    }

    /** A 0..1 load, or null when this JVM does not publish it (or has no sample yet). */
    private static Double osDouble(String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object v = server.getAttribute(new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), attribute);
            return v instanceof Double d && d >= 0 ? d : null;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
