package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.SynchronousBundleListener;
import org.opentwag.api.eap.EapMethod;

/**
 * EAP-SIM as a plugin of the running distribution: feature opentwag-eap-sim is installed at run time, wpa_supplicant's
 * eapol_test (its SIM simulator computes GSM-Milenage, TS 55.205, from "Ki:OPc") authenticates and fast
 * re-authenticates with vectors from the embedded HSS over SWx (quintuplets, turned into triplets by c2/c3), EAP-AKA
 * keeps working beside it; then the feature is removed, EAP-SIM is refused and EAP-AKA still works. Neither step
 * restarts or replaces any other bundle of ours. Subscribers: itests/src/test/resources/hss-subscribers.csv.
 */
public class EapSimIT extends InsideDistribution.WithLinksOpen {

    private static final String KI = EapolTestIT.KI;
    private static final String OPC = EapolTestIT.OPC;
    private static final String REALM = EapolTestIT.REALM;
    private static final String SIM_BUNDLE = "org.opentwag.eap-sim";

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    private static ExternalTool.Result eapolTest(String method, String identity, String password, String... extra)
            throws Exception {
        return Eapol.fromAccessPoint(method, identity, password, "", extra);
    }

    private static void assertAuthenticated(ExternalTool.Result r, int times) {
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("SUCCESS"));
        // eapol_test compares the MSK it derived with the MS-MPPE keys of each Access-Accept.
        assertTrue(r.output(), r.output().contains("MPPE keys OK: " + times + "  mismatch: 0"));
    }

    private ExternalTool.Result sim(String imsiSuffix, String... extra) throws Exception {
        return eapolTest("SIM", "100101000000000" + imsiSuffix + REALM, KI + ":" + OPC, extra);
    }

    private void akaStillWorks() throws Exception {
        assertAuthenticated(eapolTest("AKA", "0001010000000002" + REALM, KI + ":" + OPC + ":000000000020"), 1);
    }

    /** Right after boot the methods may still be picking up their vector source: wait, bounded, for one AKA success. */
    private void akaWorksOnceBooted() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        ExternalTool.Result r;
        do {
            r = eapolTest("AKA", "0001010000000002" + REALM, KI + ":" + OPC + ":000000000020");
            if (r.exitCode() == 0) {
                return;
            }
            Thread.sleep(1000);
        } while (System.currentTimeMillis() < deadline);
        assertAuthenticated(r, 1);
    }

    /** Every other bundle of ours: id, state and last modification, which a reinstall or update would change. */
    private Map<String, String> otherBundles() {
        Map<String, String> out = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith("org.opentwag.") && !name.equals(SIM_BUNDLE)) {
                out.put(name, b.getBundleId() + " state " + b.getState() + " modified " + b.getLastModified());
            }
        }
        return out;
    }

    /**
     * What happens to everything else while EAP-SIM comes and goes: any bundle event of another bundle of ours
     * (stop, start, refresh, update) and any EAP method other than type 18 leaving the registry.
     */
    private final class Disturbances implements SynchronousBundleListener, ServiceListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void bundleChanged(BundleEvent e) {
            String name = e.getBundle().getSymbolicName();
            if (name != null && name.startsWith("org.opentwag.") && !name.equals(SIM_BUNDLE)) {
                seen.add(name + " bundle event " + e.getType());
            }
        }

        @Override
        public void serviceChanged(ServiceEvent e) {
            Object type = e.getServiceReference().getProperty("opentwag.eap.type");
            if (e.getType() == ServiceEvent.UNREGISTERING && !Integer.valueOf(18).equals(type)) {
                seen.add("EAP method " + type + " unregistered");
            }
        }
    }

    private boolean simBundlePresent() {
        return Arrays.stream(context.getBundles()).anyMatch(b -> SIM_BUNDLE.equals(b.getSymbolicName()));
    }

    @Test
    public void installedAtRunTimeEapSimAuthenticatesAndRemovedItLeavesEapAkaAsItWas() throws Exception {
        assertFalse("opentwag-eap-sim is not part of the default install",
                features.isInstalled(features.getFeature("opentwag-eap-sim")));
        akaWorksOnceBooted();
        Map<String, String> before = otherBundles();
        Disturbances disturbances = new Disturbances();
        context.addBundleListener(disturbances);
        context.addServiceListener(disturbances, "(objectClass=" + EapMethod.class.getName() + ")");

        // Karaf's default options, auto-refresh included: a refresh of anything else would show below.
        features.installFeature("opentwag-eap-sim", EnumSet.noneOf(FeaturesService.Option.class));
        assertTrue(simBundlePresent());
        assertEquals("installing EAP-SIM touched other bundles", before, otherBundles());

        // Full authentication, then a fast re-authentication with the identity it handed out (-r 1).
        ExternalTool.Result full = sim("1", "-r", "1");
        assertAuthenticated(full, 2);
        assertTrue(full.output(), full.output().contains("EAP-SIM: (encr) AT_NEXT_REAUTH_ID"));
        assertTrue(full.output(), full.output().contains("EAP-SIM: subtype Reauthentication"));
        // A second phone, twice in a row (each time 3 fresh vectors from the HSS).
        assertAuthenticated(sim("2"), 1);
        assertAuthenticated(sim("2"), 1);
        // A SIM with another Ki gives other SRES: rejected.
        ExternalTool.Result wrong = eapolTest("SIM", "1001010000000003" + REALM,
                "00112233445566778899aabbccddeeff:" + OPC);
        assertNotEquals(wrong.output(), 0, wrong.exitCode());
        akaStillWorks();

        features.uninstallFeature("opentwag-eap-sim", EnumSet.noneOf(FeaturesService.Option.class));
        assertFalse(simBundlePresent());
        assertEquals("removing EAP-SIM touched other bundles", before, otherBundles());
        context.removeBundleListener(disturbances);
        context.removeServiceListener(disturbances);
        assertEquals("bundle events of others, or EAP methods withdrawn", List.of(), disturbances.seen);
        ExternalTool.Result refused = sim("1");
        assertNotEquals(refused.output(), 0, refused.exitCode());
        akaStillWorks();
    }
}
