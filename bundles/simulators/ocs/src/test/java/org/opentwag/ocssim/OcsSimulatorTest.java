package org.opentwag.ocssim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.diameter.codec.CreditControlAnswer;
import org.opentwag.diameter.codec.CreditControlRequest;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ServiceCredit;
import org.opentwag.diameter.codec.ServiceUnits;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.support.test.Await;

/** The simulated OCS over a real loopback Diameter connection; RFC 4006 result codes as published (section 9). */
class OcsSimulatorTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String TWAG = "twag.localdomain";
    static final String OCS = "ocs.localdomain";
    static final long MB = 1024 * 1024;
    static final String RICH = "001010000000001";
    static final String POOR = "001010000000002";
    static final String BROKE = "001010000000011";

    @TempDir
    Path dir;

    private Path file;
    private DiameterNode ocsNode;
    private DiameterNode twagNode;
    private OcsSimulator ocs;
    private BalanceBook book;
    private int requestNumber;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("ocs-balances.csv");
        Files.write(file, List.of("# test balances", "imsi,balance_octets", RICH + "," + (1000 * MB),
                POOR + "," + (25 * MB), BROKE + ",0"));
        book = new BalanceBook(file);
        ocsNode = DiameterNode.create(NodeConfig.builder(OCS, REALM).applications(ApplicationId.GY)
                .listen("127.0.0.1", 0).workerThreads(2).build());
        ocsNode.addPeer(new PeerConfig(TWAG, null, null, PeerConfig.DEFAULT_PORT, null, false, null, false));
        ocs = new OcsSimulator(ocsNode, book, OcsBehaviour.defaults().withValidityTimeSeconds(600));
        twagNode = DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.GY)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).workerThreads(2).build());
        twagNode.addPeer(PeerConfig.connectTo(OCS, REALM, "127.0.0.1", ocsNode.listenAddress().orElseThrow().getPort()));
        Await.until("OCS peer OPEN", Duration.ofSeconds(5),
                () -> twagNode.peer(OCS).map(p -> p.state() == PeerState.OPEN).orElse(false));
    }

    @AfterEach
    void stop() {
        ocs.close();
        twagNode.close();
        ocsNode.close();
    }

    private CreditControlAnswer send(String session, int type, String imsi, ServiceUnits requested, ServiceUnits used)
            throws Exception {
        CreditControlRequest ccr = new CreditControlRequest(session, REALM, null, "32251@3gpp.org", type,
                type == 1 ? (requestNumber = 0) : ++requestNumber, imsi, Instant.now(), type == 3 ? 1 : ServiceCredit.ABSENT,
                List.of(ServiceCredit.request(100, 1, requested, used, type == 3 ? 2 : ServiceCredit.ABSENT)));
        DiameterMessage cca = twagNode.send(ccr.toMessage()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(cca.applicationId()).isEqualTo(4);
        assertThat(cca.commandCode()).isEqualTo(272);
        return CreditControlAnswer.from(cca);
    }

    @Test
    void grantsChunksUntilTheLastOneCarriesFinalUnitIndicationThenRefuses() throws Exception {
        String s = twagNode.newSessionId();
        CreditControlAnswer i = send(s, 1, POOR, ServiceUnits.total(10 * MB), null);
        assertThat(i.resultCode()).isEqualTo(2001);
        assertThat(i.requestType()).isEqualTo(1);
        ServiceCredit c = i.credit(100).orElseThrow();
        assertThat(c.granted().octets()).isEqualTo(10 * MB);
        assertThat(c.finalUnit()).isFalse();
        assertThat(c.validityTimeSeconds()).isEqualTo(600);
        assertThat(c.ratingGroup()).isEqualTo(100);

        CreditControlAnswer u1 = send(s, 2, POOR, ServiceUnits.total(10 * MB), ServiceUnits.used(2 * MB, 8 * MB));
        assertThat(u1.credit(100).orElseThrow().granted().octets()).isEqualTo(10 * MB);
        assertThat(u1.credit(100).orElseThrow().finalUnit()).isFalse();
        assertThat(ocs.balance(POOR)).hasValue(15 * MB);

        CreditControlAnswer u2 = send(s, 2, POOR, ServiceUnits.total(10 * MB), ServiceUnits.used(0, 10 * MB));
        ServiceCredit last = u2.credit(100).orElseThrow();
        assertThat(last.granted().octets()).as("min(chunk, balance)").isEqualTo(5 * MB);
        assertThat(last.finalUnit()).isTrue();
        assertThat(last.finalUnitAction()).as("TERMINATE (RFC 4006 8.35)").isZero();

        CreditControlAnswer u3 = send(s, 2, POOR, ServiceUnits.total(10 * MB), ServiceUnits.used(0, 5 * MB));
        assertThat(u3.resultCode()).as("DIAMETER_CREDIT_LIMIT_REACHED").isEqualTo(4012);
        assertThat(ocs.balance(POOR)).hasValue(0);

        CreditControlAnswer t = send(s, 3, POOR, null, ServiceUnits.used(0, 0));
        assertThat(t.resultCode()).isEqualTo(2001);
        assertThat(ocs.openSessions()).isZero();
    }

    @Test
    void zeroBalanceIsRefusedAtTheInitialRequest() throws Exception {
        CreditControlAnswer i = send(twagNode.newSessionId(), 1, BROKE, ServiceUnits.total(10 * MB), null);
        assertThat(i.resultCode()).isEqualTo(4012);
        assertThat(ocs.openSessions()).isZero();
    }

    @Test
    void unknownSubscriberAndUnknownSession() throws Exception {
        assertThat(send(twagNode.newSessionId(), 1, "001019999999999", ServiceUnits.total(MB), null).resultCode())
                .as("DIAMETER_USER_UNKNOWN").isEqualTo(5030);
        assertThat(send("no;such;session", 2, RICH, ServiceUnits.total(MB), ServiceUnits.used(1, 1)).resultCode())
                .as("DIAMETER_UNKNOWN_SESSION_ID").isEqualTo(5002);
        ocs.behaviour(ocs.behaviour().withDefaultBalanceOctets(3 * MB));
        CreditControlAnswer i = send(twagNode.newSessionId(), 1, "001019999999999", ServiceUnits.total(10 * MB), null);
        assertThat(i.credit(100).orElseThrow().granted().octets()).isEqualTo(3 * MB);
        assertThat(i.credit(100).orElseThrow().finalUnit()).isTrue();
    }

    @Test
    void twoSessionsOfOneSubscriberShareTheBalance() throws Exception {
        String first = twagNode.newSessionId();
        CreditControlAnswer a = send(first, 1, POOR, ServiceUnits.total(20 * MB), null);
        assertThat(a.credit(100).orElseThrow().granted().octets()).isEqualTo(20 * MB);
        CreditControlAnswer b = send(twagNode.newSessionId(), 1, POOR, ServiceUnits.total(20 * MB), null);
        assertThat(b.credit(100).orElseThrow().granted().octets()).isEqualTo(5 * MB);
        assertThat(b.credit(100).orElseThrow().finalUnit()).isTrue();
        // Another subscriber's session holds nothing of this one's balance.
        assertThat(send(twagNode.newSessionId(), 1, RICH, ServiceUnits.total(MB), null).credit(100).orElseThrow()
                .granted().octets()).isEqualTo(MB);
        // The first session ends having used 1 MB: what it held is free again for a third one (25 - 1 - 5 = 19 MB).
        send(first, 3, POOR, null, ServiceUnits.total(MB));
        CreditControlAnswer c = send(twagNode.newSessionId(), 1, POOR, ServiceUnits.total(30 * MB), null);
        assertThat(c.credit(100).orElseThrow().granted().octets()).isEqualTo(19 * MB);
    }

    @Test
    void terminationDebitsTheFinalUsageAndEditingTheFileTopsUp() throws Exception {
        String s = twagNode.newSessionId();
        send(s, 1, RICH, ServiceUnits.total(10 * MB), null);
        send(s, 3, RICH, null, ServiceUnits.used(MB, 3 * MB));
        assertThat(ocs.balance(RICH)).hasValue(996 * MB);

        Files.write(file, List.of("imsi,balance_octets", RICH + "," + (1000 * MB), POOR + "," + (25 * MB),
                BROKE + "," + (7 * MB)));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
        assertThat(book.reloadIfChanged()).isTrue();
        assertThat(ocs.balance(BROKE)).as("changed line applies").hasValue(7 * MB);
        assertThat(ocs.balance(RICH)).as("unchanged line keeps the debit").hasValue(996 * MB);
        CreditControlAnswer i = send(twagNode.newSessionId(), 1, BROKE, ServiceUnits.total(10 * MB), null);
        assertThat(i.resultCode()).isEqualTo(2001);
        assertThat(i.credit(100).orElseThrow().granted().octets()).isEqualTo(7 * MB);
    }
}
