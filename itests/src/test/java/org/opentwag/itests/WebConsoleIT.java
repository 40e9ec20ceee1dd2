package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;

/**
 * Operators who run Karaf's Felix Web Console find OpenTWAG there: the feature installs at runtime, the tab sits
 * behind the console's Karaf login, and shows a phone right after it authenticated.
 */
public class WebConsoleIT extends InsideDistribution.WithLinksOpen {

    @Inject
    private FeaturesService features;

    private static HttpResponse<String> get(String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + OpenTwagDistribution.HTTP_PORT
                + "/system/console/opentwag")).timeout(Duration.ofSeconds(10));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** No password ships: the one this container's first start generated (etc/admin-password). */
    private static String generatedAdminPassword() throws java.io.IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("karaf.etc"), "admin-password"))
                .strip();
    }

    @Test
    public void theOpenTwagTabShowsAnAuthenticatedPhoneBehindTheKarafLogin() throws Exception {
        EnumSet<FeaturesService.Option> opts = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        features.installFeature("opentwag-webconsole", opts);
        try {
            assertTrue(Eapol.akaWithin(30_000, "001010000000007").succeeded());
            HttpResponse<String> page = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                try {
                    page = get("admin:" + generatedAdminPassword());
                    if (page.statusCode() == 200 && page.body().contains("0001010000000007")) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // the web console starts after the feature install returns
                }
                Thread.sleep(300);
            }
            assertTrue("no page", page != null);
            assertEquals(page.body(), 200, page.statusCode());
            assertTrue(page.body(), page.body().contains("0001010000000007" + Eapol.REALM));
            assertTrue(page.body(), page.body().contains("ACCEPTED"));
            assertTrue(page.body(), page.body().contains("hss.epc.mnc001.mcc001.3gppnetwork.org"));
            assertEquals(401, get(null).statusCode());
            assertEquals(401, get("admin:wrong").statusCode());
        } finally {
            features.uninstallFeature("opentwag-webconsole", opts);
        }
    }
}
