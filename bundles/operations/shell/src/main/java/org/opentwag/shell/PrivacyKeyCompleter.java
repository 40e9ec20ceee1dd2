package org.opentwag.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.eap.ImsiPrivacy;

/** Names of the IMSI privacy keys in force. */
@Service
public class PrivacyKeyCompleter implements Completer {

    @Reference
    private ImsiPrivacy privacy;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(privacy.keys().stream().map(ImsiPrivacy.Key::name).toList())
                .complete(session, commandLine, candidates);
    }
}
