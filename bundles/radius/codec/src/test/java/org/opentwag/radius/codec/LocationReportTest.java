package org.opentwag.radius.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class LocationReportTest {

    /** Location-Information (RFC 5580 4.2): Index, Code, Entity, Sighting Time, Time-to-Live (NTP), Method. */
    private static byte[] information(int index, int code, int entity, String method) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(index >> 8);
        b.write(index);
        b.write(code);
        b.write(entity);
        b.writeBytes(new byte[16]);
        b.writeBytes(method.getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** A civic Location-Data: Index, then RFC 4776 3.1's what, country code and CAtype/CAlength/CAvalue elements. */
    private static byte[] civic(int index, boolean withWhat, Object... elements) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(index >> 8);
        b.write(index);
        if (withWhat) {
            b.write(1); // the location of the network element believed to be closest to the client
        }
        b.writeBytes("DE".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < elements.length; i += 2) {
            byte[] v = ((String) elements[i + 1]).getBytes(StandardCharsets.UTF_8);
            b.write((Integer) elements[i]);
            b.write(v.length);
            b.writeBytes(v);
        }
        return b.toByteArray();
    }

    @Test
    void aCivicLocationOfTheAccessNetworkReadsAsItsAddress() {
        String d = LocationReport.describe(List.of(information(1, 0, 1, "Manual")),
                List.of(civic(1, true, 1, "Bayern", 3, "München", 34, "Marienplatz", 19, "8")));
        assertThat(d).isEqualTo("[1] civic of the access network (Manual): DE A1=Bayern A3=München RD=Marienplatz HNO=8");
    }

    @Test
    void aCivicLocationWithoutTheWhatOctetReadsTheSame() {
        assertThat(LocationReport.describe(List.of(), List.of(civic(2, false, 3, "Berlin"))))
                .isEqualTo("[2] civic: DE A3=Berlin");
    }

    /**
     * RFC 6225 2.2: 34-bit latitude and longitude in 9.25 fixed point (two's complement), here 38.89868 N 77.03723 W
     * with datum 1 (WGS84), packed field by field as the RFC draws them.
     */
    @Test
    void aGeospatialLocationReadsAsLatitudeAndLongitude() {
        long lat = Math.round(38.89868 * (1 << 25));
        long lon = Math.round(-77.03723 * (1 << 25)) & ((1L << 34) - 1);
        BigInteger v = BigInteger.valueOf(18)                       // LaUnc
                .shiftLeft(34).or(BigInteger.valueOf(lat))
                .shiftLeft(6).or(BigInteger.valueOf(18))             // LoUnc
                .shiftLeft(34).or(BigInteger.valueOf(lon))
                .shiftLeft(4).or(BigInteger.valueOf(1))              // AT: meters
                .shiftLeft(6).or(BigInteger.ZERO)                    // AltUnc
                .shiftLeft(30).or(BigInteger.valueOf(15 << 8))       // Altitude 15 m (22.8 fixed point)
                .shiftLeft(2).or(BigInteger.ONE)                     // Ver
                .shiftLeft(3)                                        // Res
                .shiftLeft(3).or(BigInteger.ONE);                    // Datum WGS84
        byte[] bits = v.toByteArray();
        byte[] data = new byte[18];
        data[1] = 7;
        System.arraycopy(bits, Math.max(0, bits.length - 16), data, 18 - Math.min(16, bits.length),
                Math.min(16, bits.length));
        assertThat(LocationReport.describe(List.of(information(7, 1, 0, "GPS")), List.of(data)))
                .isEqualTo("[7] geo of the user (GPS): 38.898680, -77.037230 (WGS84)");
    }

    @Test
    void brokenValuesAreShownNotRefused() {
        assertThat(LocationReport.describe(List.of(information(3, 0, 1, "")), List.of(new byte[]{0})))
                .isEqualTo("malformed Location-Data; [3] civic of the access network: no Location-Data");
        assertThat(LocationReport.describe(List.of(), List.of(civic(4, false, 3, "Ber\nlin")))).contains("Ber?lin");
        assertThat(LocationReport.describe(List.of(), List.of())).isNull();
    }

    @Test
    void operatorNameIsItsNamespaceAndName() {
        assertThat(OperatorName.decode("1hotspot.example.net".getBytes(StandardCharsets.US_ASCII)))
                .hasToString("REALM:hotspot.example.net");
        assertThat(OperatorName.decode("2310410".getBytes(StandardCharsets.US_ASCII))).hasToString("E212:310410");
        assertThat(OperatorName.decode("1".getBytes(StandardCharsets.US_ASCII))).isNull();
    }
}
