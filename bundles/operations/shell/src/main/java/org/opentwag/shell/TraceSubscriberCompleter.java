package org.opentwag.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.trace.SubscriberTrace;

/** Completes the subscribers the trace keeps (IMSI when known, else the identity), most recent first. */
@Service
public class TraceSubscriberCompleter implements Completer {

    @Reference
    private SubscriberTrace trace;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(trace.subscribers()).complete(session, commandLine, candidates);
    }
}
