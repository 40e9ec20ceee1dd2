package org.opentwag.shell;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.trace.AuthAttempt;
import org.opentwag.api.trace.SubscriberTrace;
import org.opentwag.shell.view.Formats;
import org.opentwag.shell.view.TraceView;

/**
 * A subscriber's recent authentication attempts step by step (identity, vectors and the HSS's answer, challenge,
 * response check, resync, accept or reject with its reason, charging, accounting), newest first; with --follow, each
 * new attempt as it finishes.
 */
@Command(scope = "twag", name = "trace", description = "Shows a subscriber's recent authentication attempts step by step (by IMSI or identity); --follow streams new ones")
@Service
public class TraceCommand implements Action {

    @Reference
    private SubscriberTrace trace;

    @Argument(index = 0, name = "subscriber", required = true, description = "IMSI or EAP identity")
    @Completion(TraceSubscriberCompleter.class)
    private String subscriber;

    @Option(name = "-n", aliases = "--max", description = "Most attempts to show (newest first)")
    private int max = 5;

    @Option(name = "-f", aliases = "--follow", description = "Then print each new attempt as it finishes, until Ctrl-C")
    private boolean follow;

    @Option(name = "-t", aliases = "--timeout", description = "With --follow: stop after this many seconds (0: until Ctrl-C)")
    private int timeoutSeconds;

    @Override
    public Object execute() throws Exception {
        TraceView view = new TraceView(Formats.systemDefault());
        List<AuthAttempt> attempts = trace.attempts(subscriber);
        if (attempts.isEmpty() && !follow) {
            System.out.println("No recent authentication attempt of " + subscriber);
            return null;
        }
        view.attempts(attempts.subList(0, Math.min(Math.max(1, max), attempts.size())), System.out);
        if (!follow) {
            return null;
        }
        System.out.println("Following " + subscriber + " (Ctrl-C to stop)");
        System.out.flush();
        // Bounded: a subscriber authenticating in a loop cannot grow this queue past its capacity.
        BlockingQueue<AuthAttempt> finished = new LinkedBlockingQueue<>(100);
        long deadline = timeoutSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds)
                : Long.MAX_VALUE;
        try (AutoCloseable handle = trace.follow(subscriber, finished::offer)) {
            while (System.nanoTime() < deadline) {
                AuthAttempt a = finished.poll(200, TimeUnit.MILLISECONDS);
                if (a != null) {
                    view.attempts(List.of(a), System.out);
                    System.out.flush();
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
