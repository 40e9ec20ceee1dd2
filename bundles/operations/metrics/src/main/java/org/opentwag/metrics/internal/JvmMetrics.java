package org.opentwag.metrics.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.opentwag.api.metrics.MetricsSource;

/**
 * The JVM's own figures, read from the standard management beans at scrape time. The guide's Erlang VM metrics
 * have JVM counterparts here: {@code vm_memory_total} keeps its name (total memory in use), the rest carry JVM names,
 * those of Prometheus' simpleclient_hotspot where it has one ({@code jvm_memory_bytes_used{area}},
 * {@code jvm_gc_collection_seconds_count{gc}}, {@code jvm_threads_current}, {@code process_start_time_seconds}), so
 * ready-made JVM dashboards work. simpleclient_hotspot itself needs {@code com.sun.management}, which Karaf does not
 * export, so these come from {@code java.lang.management} only.
 */
public final class JvmMetrics implements MetricsSource {

    private static final Set<String> COUNTERS = Set.of("jvm_gc_collection_seconds_count",
            "jvm_gc_collection_seconds_sum", "jvm_classes_loaded_total");

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public Map<String, String> help() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("vm_memory_total", "Memory in use by the JVM, heap and non-heap (bytes)");
        h.put("jvm_memory_heap_used_bytes", "Heap in use (bytes)");
        h.put("jvm_memory_heap_max_bytes", "Maximum heap (bytes)");
        h.put("jvm_memory_nonheap_used_bytes", "Non-heap memory in use (bytes)");
        h.put("jvm_memory_bytes_used", "Memory in use by area (bytes)");
        h.put("jvm_memory_bytes_committed", "Memory committed by area (bytes)");
        h.put("jvm_memory_bytes_max", "Maximum memory by area (bytes), -1 when unbounded");
        h.put("jvm_threads_current", "Live threads");
        h.put("jvm_threads_daemon", "Live daemon threads");
        h.put("jvm_threads_peak", "Peak live threads");
        h.put("jvm_gc_collection_seconds_count", "Garbage collections by collector");
        h.put("jvm_gc_collection_seconds_sum", "Time spent in garbage collection by collector (seconds)");
        h.put("jvm_classes_loaded", "Classes loaded now");
        h.put("jvm_classes_loaded_total", "Classes loaded since the JVM started");
        h.put("process_start_time_seconds", "Start time of the JVM since the Unix epoch (seconds)");
        h.put("vm_system_info_schedulers_online", "Processors available to the JVM");
        h.put("process_load_average", "System load average over the last minute");
        return h;
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        v.put("vm_memory_total", heap.getUsed() + nonHeap.getUsed());
        v.put("jvm_memory_heap_used_bytes", heap.getUsed());
        v.put("jvm_memory_heap_max_bytes", heap.getMax());
        v.put("jvm_memory_nonheap_used_bytes", nonHeap.getUsed());
        v.put("jvm_memory_bytes_used{area=\"heap\"}", heap.getUsed());
        v.put("jvm_memory_bytes_used{area=\"nonheap\"}", nonHeap.getUsed());
        v.put("jvm_memory_bytes_committed{area=\"heap\"}", heap.getCommitted());
        v.put("jvm_memory_bytes_committed{area=\"nonheap\"}", nonHeap.getCommitted());
        v.put("jvm_memory_bytes_max{area=\"heap\"}", heap.getMax());
        v.put("jvm_memory_bytes_max{area=\"nonheap\"}", nonHeap.getMax());
        v.put("jvm_threads_current", threads.getThreadCount());
        v.put("jvm_threads_daemon", threads.getDaemonThreadCount());
        v.put("jvm_threads_peak", threads.getPeakThreadCount());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String label = "{gc=\"" + gc.getName().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
            v.put("jvm_gc_collection_seconds_count" + label, Math.max(0, gc.getCollectionCount()));
            v.put("jvm_gc_collection_seconds_sum" + label, Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        v.put("jvm_classes_loaded", ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        v.put("jvm_classes_loaded_total", ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        v.put("process_start_time_seconds", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        v.put("vm_system_info_schedulers_online", Runtime.getRuntime().availableProcessors());
        v.put("process_load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return v;
    }

    @Override
    public Kind kind(String metricName) {
        return COUNTERS.contains(metricName) ? Kind.COUNTER : Kind.GAUGE;
    }
}
