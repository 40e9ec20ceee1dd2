package org.opentwag.passpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.passpoint.HostapdConfig;
import org.opentwag.passpoint.PasspointProfile;
import org.opentwag.passpoint.Plmn;
import org.opentwag.passpoint.SecretReference;
import org.opentwag.passpoint.Security;
import org.opentwag.passpoint.Venue;

/**
 * Feeds generated fragments to Debian's hostapd (a parser we did not write), completed into a full configuration
 * with driver=none: hostapd reads and checks the whole file ("Line N: invalid ..." and "N errors found in
 * configuration file" on any mistake), then brings the BSS up as a RADIUS-only authenticator and prints AP-ENABLED.
 * RADIUS and DAS use closed loopback ports, so nothing leaves the machine.
 */
class HostapdInteropTest {

    private static final long TIMEOUT_SECONDS = 15;

    @TempDir
    Path dir;

    static String hostapd() {
        File f = new File(System.getProperty("opentwag.hostapd", "/usr/sbin/hostapd"));
        if (!f.canExecute()) {
            throw new IllegalStateException(f + " is missing: run .ci/install-tools.sh (apt-get install hostapd);"
                    + " this test must run, it keeps syntax errors out of the generated AP configuration");
        }
        return f.getPath();
    }

    record Run(boolean parsed, boolean enabled, String output) {
    }

    /** Runs hostapd -dd on fragment + radio lines until AP-ENABLED, a parse failure, exit, or the time-out. */
    Run run(String fragment) throws IOException, InterruptedException {
        Path conf = dir.resolve("hostapd-" + System.nanoTime() + ".conf");
        Files.writeString(conf, "interface=otwagpp0\ndriver=none\n" + fragment, StandardCharsets.UTF_8);
        Path out = dir.resolve("hostapd.out");
        Process p = new ProcessBuilder(hostapd(), "-dd", conf.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        String text = "";
        try {
            while (System.nanoTime() < deadline) {
                text = Files.readString(out, StandardCharsets.UTF_8);
                if (text.contains("AP-ENABLED") || text.contains("errors found in configuration file") || !p.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        text = Files.readString(out, StandardCharsets.UTF_8);
        boolean parseError = text.contains("errors found in configuration file")
                || Pattern.compile("(?m)^Line \\d+: ").matcher(text).find();
        return new Run(!parseError, text.contains("AP-ENABLED"), text);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static PasspointProfile.Builder loopback(PasspointProfile.Builder b) throws IOException {
        return b.radiusAddress("127.0.0.1").authPort(freeUdpPort()).acctPort(freeUdpPort()).dasPort(freeUdpPort());
    }

    /** TS 24.008 PLMN identity: MCC2|MCC1, MNC3|MCC3 (F when the MNC has 2 digits), MNC2|MNC1. */
    static String plmnOctets(Plmn p) {
        String mcc = p.mcc();
        String mnc = p.mnc();
        int b1 = (mcc.charAt(1) - '0') << 4 | (mcc.charAt(0) - '0');
        int b2 = (mnc.length() == 3 ? mnc.charAt(2) - '0' : 0xF) << 4 | (mcc.charAt(2) - '0');
        int b3 = (mnc.charAt(1) - '0') << 4 | (mnc.charAt(0) - '0');
        return HexFormat.of().formatHex(new byte[] {(byte) b1, (byte) b2, (byte) b3});
    }

    private static String cellularHexdump(String output) {
        Matcher m = Pattern.compile("3GPP Cellular Network information - hexdump\\(len=\\d+\\): ([0-9a-f ]+)")
                .matcher(output);
        assertThat(m.find()).as("hostapd -dd prints the ANQP 3GPP element:\n%s", output).isTrue();
        return m.group(1).replace(" ", "").trim();
    }

    @Test
    void operatorFragmentParsesAndBringsTheBssUpWithTheRightPlmnEncoding() throws Exception {
        for (Security security : Security.values()) {
            PasspointProfile p = loopback(PasspointProfile.builder()).ssid("Operator WiFi")
                    .security(security)
                    .secret(SecretReference.parse("placeholder:lab-secret-placeholder"))
                    .plmns("505-57", "310-026", "001-01")
                    .domainNames(List.of("operator.example"))
                    .roamingConsortiumOis(List.of("505057", "001bc50460"))
                    .venue(new Venue(1, 8, "eng", "Operator Public WiFi"))
                    .operatorFriendlyName("eng", "Operator WiFi Network").hessid("02:00:00:00:00:01").build();
            Run run = run(HostapdConfig.render(p));
            assertThat(run.parsed()).as("%s: hostapd refused the generated configuration:\n%s", security, run.output())
                    .isTrue();
            assertThat(run.enabled()).as("%s: no AP-ENABLED:\n%s", security, run.output()).isTrue();
            // hostapd encodes each MNC at the length we wrote: 2-digit 57 with the F filler, 3-digit 026 without.
            StringBuilder plmns = new StringBuilder();
            p.plmns().forEach(x -> plmns.append(plmnOctets(x)));
            String dump = cellularHexdump(run.output());
            assertThat(dump).endsWith(String.format("%02x", p.plmns().size()) + plmns);
            assertThat(plmnOctets(Plmn.parse("505-57"))).isEqualTo("05f575");
        }
    }

    @Test
    void shippedDefaultsParse() throws Exception {
        ProfileAssembler.Result r = new ProfileAssembler(() -> "127.0.0.1").assemble(ShippedConfig.sources());
        PasspointProfile shipped = r.profile();
        PasspointProfile p = loopback(PasspointProfile.builder()).ssid(shipped.ssid()).security(shipped.security())
                .secret(shipped.secret()).plmns(shipped.plmns()).realms(shipped.realms())
                .domainNames(shipped.domainNames()).venue(shipped.venue())
                .operatorFriendlyName(shipped.operatorLanguage(), shipped.operatorFriendlyName())
                .eapAka(shipped.eapAka()).eapAkaPrime(shipped.eapAkaPrime()).build();
        Run run = run(HostapdConfig.render(p));
        assertThat(run.parsed()).as(run.output()).isTrue();
        assertThat(run.enabled()).as(run.output()).isTrue();
        assertThat(cellularHexdump(run.output())).endsWith("01" + "00f110");
    }

    @Test
    void aBrokenLineIsCaughtByTheParserSoTheCheckCanFail() throws Exception {
        PasspointProfile p = loopback(PasspointProfile.builder()).plmns("505-57").build();
        String broken = HostapdConfig.render(p).replace("50[5:2],23[5:2]", "50[5:2,23[5:2]");
        Run run = run(broken);
        assertThat(run.parsed()).as(run.output()).isFalse();
        assertThat(run.output()).containsPattern("Line \\d+: invalid nai_realm");
        assertThat(run.enabled()).isFalse();
    }
}
