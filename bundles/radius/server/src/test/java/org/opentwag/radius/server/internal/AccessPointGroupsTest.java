package org.opentwag.radius.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPointGroupsTest {

    private static AccessPointGroup group(String name, String... cidrs) {
        return new AccessPointGroup(name, java.util.Arrays.stream(cidrs).map(Subnet::parse).toList(),
                ("long-random-secret-of-" + name).getBytes(), true, 3799);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void subnetsMatchByPrefixForIpv4AndIpv6() throws Exception {
        Subnet lan = Subnet.parse("10.7.15.0/24");
        assertThat(lan.contains(ip("10.7.15.72"))).isTrue();
        assertThat(lan.contains(ip("10.7.16.1"))).isFalse();
        assertThat(Subnet.parse("10.7.15.99/20").contains(ip("10.7.0.1"))).isTrue(); // host bits ignored
        assertThat(Subnet.parse("192.168.1.16").contains(ip("192.168.1.16"))).isTrue();
        assertThat(Subnet.parse("192.168.1.16").contains(ip("192.168.1.17"))).isFalse();
        assertThat(Subnet.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        Subnet v6 = Subnet.parse("2001:db8:1::/48");
        assertThat(v6.contains(ip("2001:db8:1:ffff::1"))).isTrue();
        assertThat(v6.contains(ip("2001:db8:2::1"))).isFalse();
        assertThat(v6.contains(ip("10.7.15.1"))).isFalse();
        assertThat(Subnet.parse("10.0.0.0/9").contains(ip("10.127.255.255"))).isTrue();
        assertThat(Subnet.parse("10.0.0.0/9").contains(ip("10.128.0.0"))).isFalse();
    }

    @Test
    void badSubnetsAreRejectedWithoutDnsLookups() {
        assertThatThrownBy(() -> Subnet.parse("ap.example.com")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/33")).hasMessageContaining("outside 0..32");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/x")).hasMessageContaining("bad prefix");
        assertThatThrownBy(() -> Subnet.parse("")).hasMessageContaining("not an IP address");
    }

    @Test
    void mostSpecificSubnetWinsAndAnySourceIsTheFallback() throws Exception {
        AccessPointGroups registry = new AccessPointGroups();
        assertThat(registry.match(ip("10.1.2.3"))).isEmpty();
        registry.put("wide", group("wide", "10.0.0.0/8"));
        registry.put("narrow", group("narrow", "10.1.2.0/24", "2001:db8::/32"));
        registry.put("lab", group("lab"));
        assertThat(registry.match(ip("10.1.2.3")).orElseThrow().name()).isEqualTo("narrow");
        assertThat(registry.match(ip("10.9.9.9")).orElseThrow().name()).isEqualTo("wide");
        assertThat(registry.match(ip("2001:db8::5")).orElseThrow().name()).isEqualTo("narrow");
        assertThat(registry.match(ip("192.0.2.1")).orElseThrow().name()).isEqualTo("lab");

        registry.remove("lab");
        assertThat(registry.match(ip("192.0.2.1"))).isEmpty();
        registry.put("narrow", group("narrow", "10.1.3.0/24")); // a changed configuration replaces the old one
        assertThat(registry.match(ip("10.1.2.3")).orElseThrow().name()).isEqualTo("wide");
        assertThat(registry.groups()).extracting(AccessPointGroup::name).containsExactlyInAnyOrder("wide", "narrow");
    }

    @Test
    void groupNeverPrintsItsSecret() {
        AccessPointGroup group = new AccessPointGroup("aps", List.of(Subnet.parse("10.0.0.0/8")), "hunter2-super-secret".getBytes(), true, 3799);
        assertThat(group.toString()).doesNotContain("hunter2").contains("sha256:");
        assertThatThrownBy(() -> new AccessPointGroup("x", List.of(), new byte[0], true, 3799)).hasMessageContaining("no secret");
    }

    @Test
    void radSecClientsFindTheirGroupByCertificateName() {
        AccessPointGroups registry = new AccessPointGroups();
        registry.put("a", new AccessPointGroup("campus", List.of(), "s1".getBytes(), true, 3799,
                List.of("*.aps.example.net", "Proxy1.Example.NET")));
        registry.put("b", group("udp-only", "10.0.0.0/8"));
        assertThat(registry.matchCertificate(List.of("ap7.aps.example.net"))).map(AccessPointGroup::name).hasValue("campus");
        assertThat(registry.matchCertificate(List.of("x.y.aps.example.net"))).isPresent();
        assertThat(registry.matchCertificate(List.of("proxy1.example.net"))).isPresent(); // names are case-insensitive
        // not under the domain, the domain itself, a look-alike suffix, nothing at all
        assertThat(registry.matchCertificate(List.of("aps.example.net"))).isEmpty();
        assertThat(registry.matchCertificate(List.of("evil-aps.example.net"))).isEmpty();
        assertThat(registry.matchCertificate(List.of("ap7.aps.example.net.evil.org"))).isEmpty();
        assertThat(registry.matchCertificate(List.of())).isEmpty();
        // a group without tlsPeerNames takes no RadSec client; over TLS the secret is "radsec" (RFC 6614 2.3)
        assertThat(registry.matchCertificate(List.of("udp-only"))).isEmpty();
        assertThat(new String(registry.matchCertificate(List.of("ap1.aps.example.net")).orElseThrow().overTls().secret()))
                .isEqualTo("radsec");
    }

    @Test
    void aWeakSecretIsServedOnLoopbackOnly() throws Exception {
        AccessPointGroups registry = new AccessPointGroups();
        // The shipped placeholder with the subnets the first release shipped: loopback stays, the rest is refused.
        registry.put("default", new AccessPointGroup("default",
                List.of(Subnet.parse("127.0.0.0/8"), Subnet.parse("10.0.0.0/8"), Subnet.parse("192.168.0.0/16")),
                AccessPointGroup.PLACEHOLDER_SECRET.getBytes(), true, 3799));
        assertThat(registry.match(ip("127.0.0.1")).orElseThrow().name()).isEqualTo("default");
        assertThat(registry.match(ip("10.7.15.72"))).isEmpty();
        assertThat(registry.matchRefused(ip("10.7.15.72")).orElseThrow().name()).isEqualTo("default");
        assertThat(registry.matchRefused(ip("172.16.0.1"))).isEmpty(); // never configured: unknown, not refused
        assertThat(registry.refusedGroups()).extracting(AccessPointGroup::name).containsExactly("default");

        // Fifteen characters is one too few; sixteen is served everywhere it is configured.
        registry.put("short", new AccessPointGroup("short", List.of(Subnet.parse("10.1.0.0/16")),
                "0123456789abcde".getBytes(), true, 3799));
        assertThat(registry.match(ip("10.1.0.1"))).isEmpty();
        registry.put("short", new AccessPointGroup("short", List.of(Subnet.parse("10.1.0.0/16")),
                "0123456789abcdef".getBytes(), true, 3799));
        assertThat(registry.match(ip("10.1.0.1")).orElseThrow().name()).isEqualTo("short");
        assertThat(registry.refusedGroups()).extracting(AccessPointGroup::name).containsExactly("default");

        // Any source with a weak secret becomes loopback only (IPv4 and IPv6).
        AccessPointGroups lab = new AccessPointGroups();
        lab.put("lab", new AccessPointGroup("lab", List.of(), "short".getBytes(), true, 3799));
        assertThat(lab.match(ip("192.0.2.1"))).isEmpty();
        assertThat(lab.matchRefused(ip("192.0.2.1"))).isPresent();
        assertThat(lab.match(ip("127.0.0.5"))).isPresent();
        assertThat(lab.match(ip("::1"))).isPresent();

        // A loopback-only group with the placeholder is served and not counted as refused.
        AccessPointGroups shipped = new AccessPointGroups();
        shipped.put("default", new AccessPointGroup("default", Subnet.LOOPBACK, AccessPointGroup.PLACEHOLDER_SECRET.getBytes(),
                true, 3799));
        assertThat(shipped.match(ip("127.0.0.1"))).isPresent();
        assertThat(shipped.refusedGroups()).isEmpty();
    }

    @Test
    void loopbackBlocks() {
        assertThat(Subnet.parse("127.0.0.0/8").isLoopback()).isTrue();
        assertThat(Subnet.parse("127.0.0.1").isLoopback()).isTrue();
        assertThat(Subnet.parse("::1").isLoopback()).isTrue();
        assertThat(Subnet.parse("0.0.0.0/0").isLoopback()).isFalse();
        assertThat(Subnet.parse("126.0.0.0/7").isLoopback()).isFalse(); // wider than 127/8
        assertThat(Subnet.parse("::/0").isLoopback()).isFalse();
    }
}
