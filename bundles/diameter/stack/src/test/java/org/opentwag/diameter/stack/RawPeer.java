package org.opentwag.diameter.stack;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.codec.Vendors;

/**
 * A hand-driven Diameter peer on a blocking socket (no stack involved): lets tests play a misbehaving HSS,
 * a duplicate-sending client or an unknown peer. Every read has a timeout.
 */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final String host;

    private RawPeer(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.host = host;
        socket.setSoTimeout(5000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(InetSocketAddress to, String host) throws IOException {
        Socket s = new Socket();
        s.connect(to, 2000);
        return new RawPeer(s, host);
    }

    /** Waits (bounded) for one connection on the listening socket. */
    static RawPeer accept(ServerSocket listening, String host) throws IOException {
        listening.setSoTimeout(5000);
        return new RawPeer(listening.accept(), host);
    }

    void send(DiameterMessage m) throws IOException {
        out.write(m.encode());
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    DiameterMessage read() throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 | (header[3] & 0xff);
        byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, 4);
        in.readFully(message, 4, length - 4);
        return DiameterMessage.decode(message);
    }

    /** Reads until a message that is not a DWR (answering DWRs on the way when asked to). */
    DiameterMessage readSkippingWatchdogs(boolean answerThem) throws IOException {
        for (int i = 0; i < 100; i++) {
            DiameterMessage m = read();
            if (m.isRequest() && m.commandCode() == BaseProtocol.DEVICE_WATCHDOG) {
                if (answerThem) {
                    send(answer(m, 2001));
                }
                continue;
            }
            return m;
        }
        throw new IOException("only watchdogs");
    }

    DiameterMessage cer(long... applications) {
        DiameterMessage.Builder b = DiameterMessage.request(0, BaseProtocol.CAPABILITIES_EXCHANGE).proxiable(false)
                .hopByHop(1).endToEnd(1)
                .add(Avp.identity(BaseProtocol.ORIGIN_HOST, host))
                .add(Avp.identity(BaseProtocol.ORIGIN_REALM, "raw.example"))
                .add(Avp.address(BaseProtocol.HOST_IP_ADDRESS, InetAddress.getLoopbackAddress()))
                .add(Avp.unsigned32(BaseProtocol.VENDOR_ID, 0))
                .add(Avp.utf8(BaseProtocol.PRODUCT_NAME, "raw-peer"));
        for (long app : applications) {
            b.add(vsai(app));
        }
        return b.build();
    }

    DiameterMessage answer(DiameterMessage request, long resultCode) {
        DiameterMessage.Builder b = DiameterMessage.answerTo(request).resultCode(resultCode)
                .add(Avp.identity(BaseProtocol.ORIGIN_HOST, host))
                .add(Avp.identity(BaseProtocol.ORIGIN_REALM, "raw.example"));
        if (request.commandCode() == BaseProtocol.CAPABILITIES_EXCHANGE) {
            b.add(Avp.address(BaseProtocol.HOST_IP_ADDRESS, InetAddress.getLoopbackAddress()))
                    .add(Avp.unsigned32(BaseProtocol.VENDOR_ID, 0))
                    .add(Avp.utf8(BaseProtocol.PRODUCT_NAME, "raw-peer"))
                    .add(vsai(SwxApplication.APPLICATION_ID));
        }
        return b.build();
    }

    private static Avp vsai(long app) {
        return Avp.grouped(BaseProtocol.VENDOR_SPECIFIC_APPLICATION_ID,
                Avp.unsigned32(BaseProtocol.VENDOR_ID, Vendors.THREE_GPP),
                Avp.unsigned32(BaseProtocol.AUTH_APPLICATION_ID, app));
    }

    boolean isClosedByPeer() {
        try {
            socket.setSoTimeout(3000);
            for (int i = 0; i < 100; i++) {
                read();
            }
            return false;
        } catch (java.io.EOFException | java.net.SocketException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
