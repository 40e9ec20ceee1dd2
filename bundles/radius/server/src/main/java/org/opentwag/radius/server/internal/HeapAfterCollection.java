package org.opentwag.radius.server.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * How full the heap is right after the latest garbage collection, as a fraction of the maximum heap: what is left
 * when the collector has done what it could, so a figure near 1 means the next allocations may fail
 * ({@code -XX:+ExitOnOutOfMemoryError} then stops the server). Fed by the JVM's garbage collection notifications
 * (the figure changes only when a collection ends); 0 before the first one.
 *
 * <p>The pools' own "collection usage" is not enough: with G1 the old generation's is updated only by mixed and full
 * collections, not by the young ones that promote into it. The notifications carry every pool's usage after each
 * collection. Read through {@code javax.management.openmbean} rather than {@code com.sun.management}, which the OSGi
 * framework does not export.
 */
final class HeapAfterCollection implements AutoCloseable {
    private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";

    private final Set<String> heapPools;
    private final long maxHeap;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private volatile double fraction;

    /** Listens to every collector of this JVM until {@link #close()}. */
    HeapAfterCollection() {
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toUnmodifiableSet());
        this.maxHeap = Runtime.getRuntime().maxMemory();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, n -> GC_NOTIFICATION.equals(n.getType()), null);
                emitters.add(emitter);
            }
        }
    }

    /** Heap in use after the latest collection over the maximum heap (0..1), 0 before the first collection. */
    public double fraction() {
        return fraction;
    }

    private void onNotification(Notification notification, Object handback) {
        if (!(notification.getUserData() instanceof CompositeData info)
                || !(info.get("gcInfo") instanceof CompositeData gcInfo)
                || !(gcInfo.get("memoryUsageAfterGc") instanceof TabularData afterGc)) {
            return;
        }
        long used = 0;
        for (Object row : afterGc.values()) {
            CompositeData entry = (CompositeData) row;
            if (heapPools.contains((String) entry.get("key"))) {
                used += (Long) ((CompositeData) entry.get("value")).get("used");
            }
        }
        fraction = maxHeap > 0 ? (double) used / maxHeap : 0;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
        emitters.clear();
    }
}
