package org.opentwag.metrics.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

import org.opentwag.api.metrics.MetricsSource;

/**
 * The JVM's own figures, read from the standard management beans at scrape time. The guide's Erlang VM metrics
 * have JVM counterparts here: {@code vm_memory_total} keeps its name (total memory in use), the rest carry JVM names.
 */
public final class JvmMetrics implements MetricsSource {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public Map<String, String> help() {
        return Map.of(
                "vm_memory_total", "Memory in use by the JVM, heap and non-heap (bytes)",
                "jvm_memory_heap_used_bytes", "Heap in use (bytes)",
                "jvm_memory_heap_max_bytes", "Maximum heap (bytes)",
                "jvm_memory_nonheap_used_bytes", "Non-heap memory in use (bytes)",
                "jvm_threads_current", "Live threads",
                "jvm_threads_peak", "Peak live threads",
                "vm_system_info_schedulers_online", "Processors available to the JVM",
                "process_load_average", "System load average over the last minute");
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        long heap = memory.getHeapMemoryUsage().getUsed();
        long nonHeap = memory.getNonHeapMemoryUsage().getUsed();
        v.put("vm_memory_total", heap + nonHeap);
        v.put("jvm_memory_heap_used_bytes", heap);
        v.put("jvm_memory_heap_max_bytes", memory.getHeapMemoryUsage().getMax());
        v.put("jvm_memory_nonheap_used_bytes", nonHeap);
        v.put("jvm_threads_current", threads.getThreadCount());
        v.put("jvm_threads_peak", threads.getPeakThreadCount());
        v.put("vm_system_info_schedulers_online", Runtime.getRuntime().availableProcessors());
        v.put("process_load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return v;
    }

    @Override
    public Kind kind(String metricName) {
        return Kind.GAUGE;
    }
}
