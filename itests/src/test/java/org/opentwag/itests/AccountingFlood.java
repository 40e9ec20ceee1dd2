package org.opentwag.itests;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;

/**
 * Access points flooding the accounting port with Starts, each keeping a window of requests in flight on its own
 * socket, and remembering which Acct-Session-Ids were acknowledged. Bounded by the end time, and each AP stops
 * once a second passes without any answer (the server is gone or refusing).
 */
final class AccountingFlood {

    private AccountingFlood() {
    }

    /**
     * The Acct-Session-Ids in an H2 accounting database, read directly (the node that wrote it stopped or was killed):
     * what was stored, to hold against what was acknowledged.
     */
    static Set<String> storedSessionIds(Path database) throws SQLException, InterruptedException {
        // H2 refuses a file another process still has open (90020); the stopped server's may take a moment to let go.
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                return readSessionIds(database);
            } catch (SQLException e) {
                if (e.getErrorCode() != 90020 || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    private static Set<String> readSessionIds(Path database) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + database.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT acct_session_id FROM accounting_record")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        return stored;
    }

    static List<Thread> start(int port, String secret, int sockets, int window, long endMillis, Set<String> sent,
                              Set<String> acknowledged) {
        List<Thread> aps = new ArrayList<>();
        String run = Long.toString(System.nanoTime(), 36);
        for (int s = 0; s < sockets; s++) {
            String prefix = run + "-" + s + "-";
            Thread t = new Thread(() -> flood(port, secret, window, prefix, endMillis, sent, acknowledged),
                    "ap-" + s);
            t.start();
            aps.add(t);
        }
        return aps;
    }

    static void join(List<Thread> aps) throws InterruptedException {
        for (Thread t : aps) {
            t.join(30_000);
        }
    }

    private static byte[] start(int id, String session, String secret) {
        return RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, id, List.of(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, RadiusDictionary.ACCT_STATUS_START),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, session),
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:ONS")),
                secret.getBytes(StandardCharsets.US_ASCII), false);
    }

    private static void flood(int port, String secret, int window, String prefix, long endMillis, Set<String> sent,
                              Set<String> acknowledged) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(1_000);
            String[] inFlight = new String[256];
            InetAddress server = InetAddress.getByName("127.0.0.1");
            int next = 0;
            int outstanding = 0;
            long counter = 0;
            DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
            while (System.currentTimeMillis() < endMillis) {
                while (outstanding < window) {
                    while (inFlight[next] != null) {
                        next = (next + 1) & 0xff;
                    }
                    String session = prefix + (counter++);
                    byte[] request = start(next, session, secret);
                    inFlight[next] = session;
                    sent.add(session);
                    socket.send(new DatagramPacket(request, request.length, server, port));
                    outstanding++;
                }
                try {
                    socket.receive(answer);
                } catch (SocketTimeoutException noAnswer) {
                    return;
                }
                RadiusPacket response = RadiusPacket.decode(Arrays.copyOf(answer.getData(), answer.getLength()));
                String session = inFlight[response.identifier()];
                if (response.code() == RadiusCode.ACCOUNTING_RESPONSE && session != null) {
                    acknowledged.add(session);
                    inFlight[response.identifier()] = null;
                    outstanding--;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
