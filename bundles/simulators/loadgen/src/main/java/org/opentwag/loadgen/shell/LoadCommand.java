package org.opentwag.loadgen.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.loadgen.LoadGenerator;
import org.opentwag.loadgen.LoadOptions;

/**
 * twag:load: the load generator inside the container, with the same options as the jar. It runs in the shell's
 * thread and prints progress each second; Ctrl-C stops starting and reports what was done.
 */
@Command(scope = "twag", name = "load", description = "Simulated UEs and APs: EAP-AKA/AKA' authentications (and accounting) against a RADIUS server, with rates and latency percentiles")
@Service
public class LoadCommand implements Action {

    @Option(name = "--server", description = "RADIUS server host[:authPort] (127.0.0.1:1812; accounting on authPort+1)")
    private String server = "127.0.0.1:1812";

    @Option(name = "--acct-port", description = "Accounting port (default authPort + 1)")
    private int acctPort;

    @Option(name = "--secret", description = "RADIUS shared secret")
    private String secret = new LoadOptions().secret;

    @Option(name = "--imsi-start", description = "First IMSI of the simulated subscribers")
    private String imsiStart = new LoadOptions().imsiStart;

    @Option(name = "--subscribers", description = "Number of simulated subscribers")
    private int subscribers = new LoadOptions().subscribers;

    @Option(name = "--seed", description = "Seed the Ki/OPc are derived from (must match the subscriber file)")
    private String seed = new LoadOptions().seed;

    @Option(name = "--mode", description = "auth (EAP conversations) or acct (Accounting-Requests only)")
    @Completion(value = StringsCompleter.class, values = {"auth", "acct"})
    private String mode = "auth";

    @Option(name = "--rate", description = "Starts per second (0 = keep --concurrency in flight)")
    private int rate;

    @Option(name = "--concurrency", description = "Most in flight")
    private int concurrency = new LoadOptions().concurrency;

    @Option(name = "--count", description = "Stop after this many starts")
    private long count;

    @Option(name = "--duration", description = "Stop after this many seconds (default 60 when no --count)")
    private int duration;

    @Option(name = "--mix", description = "Method weights, e.g. aka=60,aka-prime=20,reauth=20")
    @Completion(value = StringsCompleter.class, values = {"aka=1", "aka-prime=1", "aka=1,aka-prime=1",
            "aka=1,aka-prime=1,reauth=2", "reauth=1"})
    private String mix = "aka=1";

    @Option(name = "--accounting", description = "Accounting Start/Interim/Stop per session")
    private boolean accounting;

    @Option(name = "--interims", description = "Interim-Updates per session")
    private int interims;

    @Option(name = "--hold", description = "Leave sessions open (no Stop)")
    private boolean hold;

    @Option(name = "--timeout-ms", description = "Retransmission time-out per attempt")
    private long timeoutMillis = new LoadOptions().timeoutMillis;

    @Option(name = "--attempts", description = "Sends per request, the first included")
    private int attempts = new LoadOptions().attempts;

    @Option(name = "--write-csv", description = "Write hss-subscribers.csv and ocs-balances.csv for these subscribers into this directory first")
    private String writeDir;

    @Option(name = "--write-only", description = "With --write-csv: only write the files")
    private boolean writeOnly;

    @Option(name = "--quiet", description = "No progress line each second")
    private boolean quiet;

    @Override
    public Object execute() throws Exception {
        LoadOptions o = LoadOptions.parse("--server", server);
        if (acctPort > 0) {
            o.acctPort = acctPort;
        }
        o.secret = secret;
        o.imsiStart = imsiStart;
        o.subscribers = subscribers;
        o.seed = seed;
        o.mode = "acct".equalsIgnoreCase(mode) || "accounting".equalsIgnoreCase(mode) ? LoadOptions.Mode.ACCOUNTING
                : LoadOptions.Mode.AUTH;
        o.rate = rate;
        o.concurrency = concurrency;
        o.count = count;
        o.durationSeconds = duration;
        o.mix(mix);
        o.accounting = accounting;
        o.interims = interims;
        o.hold = hold;
        o.timeoutMillis = timeoutMillis;
        o.attempts = attempts;
        o.writeDir = writeDir;
        o.runAfterWrite = !writeOnly;
        o.progress = !quiet;
        try {
            o.validate();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return null;
        }
        new LoadGenerator(o, System.out).run();
        System.out.flush();
        return null;
    }
}
