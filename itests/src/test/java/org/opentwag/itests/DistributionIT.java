package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The distribution boots with every bundle of ours active, and every feature installs and uninstalls cleanly. */
public class DistributionIT extends InsideDistribution {

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private ServiceComponentRuntime scr;

    private List<Bundle> ourBundles() {
        List<Bundle> ours = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.opentwag.")) {
                ours.add(b);
            }
        }
        return ours;
    }

    @Test
    public void everyBundleOfOursIsActiveAndEveryComponentSatisfied() throws Exception {
        List<Bundle> ours = ourBundles();
        assertFalse("no OpenTWAG bundle installed", ours.isEmpty());
        // The contracts and the helpers several bundles share are two bundles, both shipped (feature opentwag-api).
        List<String> names = ours.stream().map(Bundle::getSymbolicName).toList();
        assertTrue(names.toString(), names.contains("org.opentwag.twag-api") && names.contains("org.opentwag.twag-support"));
        for (Bundle b : ours) {
            assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
        }
        Bundle[] array = ours.toArray(new Bundle[0]);
        List<String> unsatisfied = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        do {
            unsatisfied.clear();
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(array)) {
                if (!d.defaultEnabled || !scr.isComponentEnabled(d)) {
                    continue;
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        unsatisfied.add(d.name + " (state " + c.state + ", unsatisfied "
                                + java.util.Arrays.stream(c.unsatisfiedReferences).map(r -> r.name)
                                .collect(Collectors.joining(",")) + ")");
                    }
                }
            }
            if (unsatisfied.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        assertTrue("components not satisfied: " + unsatisfied, unsatisfied.isEmpty());
    }

    @Test
    public void theMetricsEndpointAnswers() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = null;
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + OpenTwagDistribution.METRICS_PORT + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                break;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        assertTrue("no answer from /metrics", r != null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body(), r.body().contains("vm_memory_total"));
    }

    @Test
    public void everyFeatureUninstallsAndInstallsCleanly() throws Exception {
        List<String> names = new ArrayList<>();
        for (Feature f : features.listFeatures()) {
            if (f.getName().startsWith("opentwag-") && !f.getName().equals("opentwag-api")
                    && !f.getName().equals("opentwag-netty")) {
                names.add(f.getName());
            }
        }
        assertFalse(names.isEmpty());
        EnumSet<FeaturesService.Option> opts = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        // The umbrella feature holds the others in place: take it out (its parts go with it), then install and
        // uninstall each plugin group on its own, and put the umbrella back whatever happens.
        features.uninstallFeature("opentwag", opts);
        try {
            for (String name : names) {
                features.installFeature(name, opts);
                assertTrue(name + " not installed", features.isInstalled(features.getFeature(name)));
                for (Bundle b : ourBundles()) {
                    assertEquals(name + ": " + b.getSymbolicName(), Bundle.ACTIVE, b.getState());
                }
                features.uninstallFeature(name, opts);
                assertFalse(name + " still installed", features.isInstalled(features.getFeature(name)));
            }
        } finally {
            features.installFeature("opentwag", opts);
        }
        assertTrue(features.isInstalled(features.getFeature("opentwag")));
        for (Bundle b : ourBundles()) {
            assertEquals(b.getSymbolicName(), Bundle.ACTIVE, b.getState());
        }
    }
}
