package org.opentwag.bench;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Arrays;

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Thread CPU time and allocated bytes per call of one benchmark method, outside JMH: on a shared machine JMH's
 * ns/op moves with the other tenants' load (time spent waiting for a core counts), the calling thread's CPU time
 * much less. Runs the method's {@code @Setup} methods, warms up, then prints the sorted per-call figures of seven
 * rounds. {@code java -cp benchmarks.jar org.opentwag.bench.ThreadCpu <class> <method> [calls per round]}
 */
public final class ThreadCpu {

    private ThreadCpu() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName(args[0]);
        Object bench = type.getConstructor().newInstance();
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(Setup.class)) {
                m.invoke(bench);
            }
        }
        Method method = type.getMethod(args[1], Blackhole.class);
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 3 * calls; i++) {
            method.invoke(bench, bh);
        }
        long[] cpu = new long[7];
        long[] bytes = new long[7];
        for (int r = 0; r < cpu.length; r++) {
            long t0 = mx.getCurrentThreadCpuTime();
            long a0 = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < calls; i++) {
                method.invoke(bench, bh);
            }
            cpu[r] = (mx.getCurrentThreadCpuTime() - t0) / calls;
            bytes[r] = (mx.getThreadAllocatedBytes(thread) - a0) / calls;
        }
        Arrays.sort(cpu);
        Arrays.sort(bytes);
        System.out.println(type.getSimpleName() + "." + args[1] + ": thread CPU ns per call " + Arrays.toString(cpu)
                + ", median " + cpu[3] + "; allocated bytes per call median " + bytes[3] + " (reflective call "
                + "included)");
    }
}
