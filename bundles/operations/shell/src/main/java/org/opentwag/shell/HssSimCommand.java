package org.opentwag.shell;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.osgi.framework.BundleContext;

/**
 * Drives the embedded HSS simulator (labs and tests): bar or allow a subscriber with a Push-Profile-Request, end its
 * registration with a Registration-Termination-Request of a chosen Deregistration-Reason, or make multi-vector MAAs
 * repeat one RAND. The simulator's types are touched only inside {@link #execute()}: without the simulator bundle
 * this command says so instead of failing to load.
 */
@Command(scope = "twag", name = "hss-sim", description = "Makes the embedded HSS simulator send a PPR or an RTR, or repeat RANDs")
@Service
public class HssSimCommand implements Action {

    /** TS 29.229 6.3.17 Reason-Code values, by name. */
    private static final String[] REASONS = {"PERMANENT_TERMINATION", "NEW_SERVER_ASSIGNED", "SERVER_CHANGE",
            "REMOVE_S-CSCF"};

    @Reference
    private BundleContext context;

    @Argument(index = 0, name = "action", required = true,
            description = "ppr-bar | ppr-allow | rtr | duplicate-rands-on | duplicate-rands-off")
    @Completion(value = StringsCompleter.class,
            values = {"ppr-bar", "ppr-allow", "rtr", "duplicate-rands-on", "duplicate-rands-off"})
    private String action;

    @Argument(index = 1, name = "imsi", description = "The subscriber (ppr-*, rtr)")
    @Completion(ImsiCompleter.class)
    private String imsi;

    @Option(name = "--reason", description = "RTR Deregistration-Reason (default PERMANENT_TERMINATION)")
    @Completion(value = StringsCompleter.class,
            values = {"PERMANENT_TERMINATION", "NEW_SERVER_ASSIGNED", "SERVER_CHANGE", "REMOVE_S-CSCF"})
    private String reason = REASONS[0];

    @Override
    public Object execute() throws Exception {
        org.opentwag.hsssim.api.HssSimulatorService hss;
        try {
            hss = Services.first(context, org.opentwag.hsssim.api.HssSimulatorService.class, null);
        } catch (NoClassDefFoundError e) {
            hss = null;
        }
        if (hss == null) {
            System.out.println("The HSS simulator is not running (feature opentwag-hss-sim, enabled=true)");
            return null;
        }
        switch (action) {
            case "duplicate-rands-on", "duplicate-rands-off" -> {
                hss.setDuplicateRands(action.endsWith("on"));
                System.out.println("Multi-vector MAAs " + (action.endsWith("on") ? "now repeat one RAND" : "are sound"));
            }
            case "ppr-bar", "ppr-allow", "rtr" -> {
                if (imsi == null || !imsi.matches("\\d{6,15}")) {
                    System.out.println("An IMSI (digits) is needed for " + action);
                    return null;
                }
                long code;
                if (action.equals("rtr")) {
                    int reasonCode = java.util.Arrays.asList(REASONS).indexOf(reason.toUpperCase(Locale.ROOT));
                    if (reasonCode < 0) {
                        System.out.println("Unknown reason " + reason + ": one of " + String.join(", ", REASONS));
                        return null;
                    }
                    code = hss.sendRegistrationTermination(imsi, reasonCode).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    System.out.println("RTA (" + REASONS[reasonCode] + "): " + code
                            + (code == 5001 ? " (DIAMETER_ERROR_USER_UNKNOWN: no client or registration of that IMSI)"
                            : ""));
                } else {
                    code = hss.sendPushProfile(imsi, action.equals("ppr-bar")).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    System.out.println("PPA (" + (action.equals("ppr-bar") ? "barred" : "allowed") + "): " + code
                            + (code == 5001 ? " (DIAMETER_ERROR_USER_UNKNOWN: no client of that IMSI)" : ""));
                }
            }
            default -> System.out.println("Unknown action " + action);
        }
        return null;
    }
}
