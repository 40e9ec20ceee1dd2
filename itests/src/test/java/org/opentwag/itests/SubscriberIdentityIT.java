package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Test;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.ClientState;

/**
 * The identity and place attributes an access point sends and asks for, with eapol_test as the AP: an AP that puts
 * Chargeable-User-Identity (a NUL, RFC 4372 2.1) in its Access-Request gets one in the Access-Accept, the same at the
 * next login, opaque (no IMSI in it); an AP that does not ask gets none. Operator-Name and Location-Information /
 * Location-Data (RFC 5580) are kept with the client; the client is found by its CUI; accounting stores the CUI the
 * AP echoes (read back from the database).
 */
public class SubscriberIdentityIT extends InsideDistribution.WithLinksOpen {

    private static final String IMSI = "001010000000031";
    private static final Pattern CUI = Pattern.compile(
            "Attribute 89 \\(Chargeable-User-Identity\\) length=\\d+\\s+Value: '?([^'\\s]+)'?");
    /** RFC 5580 4.2: index 1, civic, the access network's location, NTP times 0, method "Manual". */
    private static final String LOCATION_INFORMATION = "0001" + "00" + "01" + "00".repeat(16)
            + HexFormat.of().formatHex("Manual".getBytes(StandardCharsets.US_ASCII));
    /** RFC 5580 4.3 + RFC 4776 3.1: index 1, what 1, "DE", A3 (3) "Berlin", HNO (19) "5". */
    private static final String LOCATION_DATA = "0001" + "01" + HexFormat.of().formatHex("DE".getBytes(
            StandardCharsets.US_ASCII)) + "03" + "06" + HexFormat.of().formatHex("Berlin".getBytes(
            StandardCharsets.US_ASCII)) + "13" + "01" + "35";

    @Inject
    private AccessSessions sessions;

    @Inject
    private AccountingQueries accounting;

    private static ExternalTool.Result login(boolean askForCui) throws Exception {
        List<String> attrs = askForCui
                ? List.of("-N", "89:x:00", "-N", "126:s:1hotspot.example.net",
                        "-N", "127:x:" + LOCATION_INFORMATION, "-N", "128:x:" + LOCATION_DATA)
                : List.of();
        ExternalTool.Result r = Eapol.akaWithin(30_000, IMSI, attrs.toArray(String[]::new));
        assertEquals(r.output(), 0, r.exitCode());
        return r;
    }

    /** The CUI of the Access-Accept (eapol_test also prints the ones it sent, a NUL). */
    private static String cui(ExternalTool.Result r) {
        int accept = r.output().lastIndexOf("(Access-Accept)");
        assertTrue(r.output(), accept >= 0);
        Matcher m = CUI.matcher(r.output().substring(accept));
        return m.find() ? m.group(1) : null;
    }

    @Test
    public void anApThatAsksGetsAStableOpaqueChargeableUserIdentityFoundInTheClientListAndInAccounting()
            throws Exception {
        String first = cui(login(true));
        assertNotNull("Chargeable-User-Identity in the Access-Accept", first);
        assertFalse(first.contains(IMSI));
        assertTrue(first, first.matches("1\\.[0-9a-f]{32}"));
        assertEquals("the same at the next login", first, cui(login(true)));
        assertEquals("none for an AP that did not ask", null, cui(login(false)));

        login(true);
        ClientState c = sessions.client(first).orElseThrow();
        assertEquals(IMSI, c.imsi());
        assertEquals(first, c.chargeableUserIdentity());
        assertEquals("REALM:hotspot.example.net", c.operatorName());
        assertEquals("[1] civic of the access network (Manual): DE A3=Berlin HNO=5", c.location());

        // The AP echoes the CUI in accounting (RFC 4372 2.2); the record keeps it.
        String session = "CUI-IT-" + System.nanoTime();
        String start = "Acct-Status-Type = Start\nAcct-Session-Id = \"" + session + "\"\n"
                + "User-Name = \"0" + IMSI + Eapol.REALM + "\"\nNAS-IP-Address = 127.0.0.1\n"
                + "Chargeable-User-Identity = \"" + first + "\"\n";
        ExternalTool.Result acct = ExternalTool.accountingRequest(OpenTwagDistribution.SECRET, start);
        assertEquals(acct.output(), 0, acct.exitCode());
        List<AccountingRecord> stored = accounting.history("127.0.0.1", session);
        assertEquals(stored.toString(), 1, stored.size());
        assertEquals(first, stored.get(0).chargeableUserIdentity());
        assertEquals(IMSI, stored.get(0).imsi());
    }
}
