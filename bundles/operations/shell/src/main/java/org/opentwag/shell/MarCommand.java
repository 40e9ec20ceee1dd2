package org.opentwag.shell;

import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.support.Secrets;
import org.osgi.framework.BundleContext;

/**
 * The guide's "Diameter Test": asks the HSS for a vector (a MAR over SWx, or the configured source) and shows the
 * answer without key material: RAND and AUTN are public, XRES/CK/IK only as lengths and fingerprints.
 * It consumes a sequence number at the HSS, as a real authentication would.
 */
@Command(scope = "twag", name = "mar", description = "Sends a Multimedia-Auth-Request for an IMSI and shows the answer (no key material)")
@Service
public class MarCommand implements Action {

    @Reference
    private BundleContext context;

    @Argument(index = 0, name = "imsi", required = true, description = "IMSI, digits only")
    @Completion(ImsiCompleter.class)
    private String imsi;

    @Option(name = "--aka-prime", description = "Ask for an EAP-AKA' vector (CK'/IK')")
    private boolean akaPrime;

    @Option(name = "--source", description = "Vector source: swx (the HSS over Diameter, default) or local")
    private String source = "swx";

    @Option(name = "--network-name", description = "Access network name for EAP-AKA'")
    private String networkName = "WLAN";

    @Override
    public Object execute() throws Exception {
        AuthVectorSource vectors = Services.first(context, AuthVectorSource.class,
                "(" + AuthVectorSource.SOURCE_PROPERTY + "=" + source + ")");
        if (vectors == null) {
            System.out.println("No vector source '" + source + "' is installed (see twag:methods)");
            return null;
        }
        AuthScheme scheme = akaPrime ? AuthScheme.EAP_AKA_PRIME : AuthScheme.EAP_AKA;
        long start = System.nanoTime();
        try {
            AuthVector v = vectors.fetch(new VectorRequest(imsi, scheme, networkName)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            HexFormat hex = HexFormat.of();
            System.out.printf("Answer in %.1f ms: success%n", (System.nanoTime() - start) / 1e6);
            System.out.println("Scheme          " + scheme.wireName());
            System.out.println("RAND            " + hex.formatHex(v.rand()));
            System.out.println("AUTN            " + hex.formatHex(v.autn()));
            System.out.println("XRES            " + v.xres().length + " bytes, " + Secrets.fingerprint(v.xres()));
            System.out.println((akaPrime ? "CK'/IK'         " : "CK/IK           ") + "16+16 bytes, "
                    + Secrets.fingerprint(v.ck()) + " / " + Secrets.fingerprint(v.ik()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof VectorSourceException vse) {
                System.out.println("Answer: " + vse.reason() + " (" + vse.getMessage() + ")");
            } else {
                System.out.println("Failed: " + cause);
            }
        }
        return null;
    }
}
