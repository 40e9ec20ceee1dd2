package org.opentwag.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dictionary against the codes, types, flags, enumerations and result codes of vectors/diameter-*.json. */
class DictionaryVectorsTest {
    private static final Map<String, AvpFormat> TYPES = Map.ofEntries(
            Map.entry("OctetString", AvpFormat.OCTET_STRING), Map.entry("Unsigned32", AvpFormat.UNSIGNED32),
            Map.entry("Unsigned64", AvpFormat.UNSIGNED64), Map.entry("Integer32", AvpFormat.INTEGER32),
            Map.entry("Integer64", AvpFormat.INTEGER64), Map.entry("Grouped", AvpFormat.GROUPED),
            Map.entry("UTF8String", AvpFormat.UTF8_STRING), Map.entry("Enumerated", AvpFormat.ENUMERATED),
            Map.entry("DiameterIdentity", AvpFormat.DIAMETER_IDENTITY), Map.entry("DiamIdent", AvpFormat.DIAMETER_IDENTITY),
            Map.entry("Time", AvpFormat.TIME), Map.entry("IPFiltrRule", AvpFormat.IP_FILTER_RULE));

    private final DiameterDictionary dictionary = DiameterDictionary.standard();

    @Test
    void swxAvpsMatchTheVectors() throws Exception {
        JsonNode swx = Vectors.load("diameter-swx.json");
        int checked = checkAvps(swx.get("avps_3gpp")) + checkAvps(swx.get("avps_ietf_non_base"))
                + checkAvps(swx.get("avps_base_rfc6733"));
        assertThat(checked).isEqualTo(45 + 5 + 23);
    }

    @Test
    void gyAvpsMatchTheVectors() throws Exception {
        JsonNode gy = Vectors.load("diameter-gy.json");
        assertThat(checkAvps(gy.get("avps_rfc4006")) + checkAvps(gy.get("avps_3gpp_ts32299"))).isEqualTo(51 + 15);
    }

    private int checkAvps(JsonNode list) {
        int n = 0;
        for (JsonNode a : list) {
            String name = a.get("name").asText();
            int code = a.get("code").asInt();
            int vendor = a.get("vendor_id").asInt();
            AvpDefinition def = dictionary.avpOrNull(code, vendor);
            assertThat(def).as("%s (%d/%d) in the dictionary", name, code, vendor).isNotNull();
            assertThat(def.name()).isEqualTo(name);
            assertThat(def.format()).as("format of %s", name).isEqualTo(TYPES.get(a.get("type").asText()));
            boolean mustM = a.get("flags_must").asText().contains("M");
            assertThat(def.mandatory()).as("'M' bit of %s", name).isEqualTo(mustM);
            assertThat((def.flags() & Avp.FLAG_VENDOR) != 0).as("'V' bit of %s", name).isEqualTo(vendor != 0);
            assertThat(dictionary.avp(name)).contains(def);
            n++;
        }
        return n;
    }

    @Test
    void applicationsAndCommandsMatchTheVectors() throws Exception {
        JsonNode swx = Vectors.load("diameter-swx.json");
        assertThat(SwxApplication.APPLICATION_ID).isEqualTo(swx.at("/application/auth_application_id").asLong());
        assertThat(SwxApplication.VENDOR_ID).isEqualTo(swx.at("/application/vendor_id").asInt());
        Map<String, Integer> swxCommands = Map.of("MAR/MAA", SwxApplication.MULTIMEDIA_AUTH,
                "SAR/SAA", SwxApplication.SERVER_ASSIGNMENT, "RTR/RTA", SwxApplication.REGISTRATION_TERMINATION,
                "PPR/PPA", SwxApplication.PUSH_PROFILE);
        for (JsonNode c : swx.get("commands")) {
            String abbrev = c.get("abbrev").asText();
            assertThat(swxCommands.get(abbrev)).as(abbrev).isEqualTo(c.get("code").asInt());
            CommandDefinition def = dictionary.command(c.get("code").asInt()).orElseThrow();
            assertThat(def.requestAbbrev() + "/" + def.answerAbbrev()).isEqualTo(abbrev);
            assertThat(def.proxiable()).isEqualTo(c.get("flags_request").asText().contains("PXY"));
        }
        JsonNode gy = Vectors.load("diameter-gy.json");
        assertThat(CreditControlApplication.APPLICATION_ID).isEqualTo(gy.at("/application/auth_application_id").asLong());
        for (JsonNode c : gy.get("commands")) {
            CommandDefinition def = dictionary.command(c.get("code").asInt()).orElseThrow();
            assertThat(def.requestAbbrev() + "/" + def.answerAbbrev()).isEqualTo(c.get("abbrev").asText());
        }
        assertThat(CreditControlApplication.CREDIT_CONTROL_COMMAND).isEqualTo(272);
        assertThat(SwxApplication.SCHEME_EAP_AKA).isEqualTo(swx.at("/sip_authentication_scheme_strings/EAP-AKA").asText());
        assertThat(SwxApplication.SCHEME_EAP_AKA_PRIME).isEqualTo(swx.at("/sip_authentication_scheme_strings/EAP-AKA'").asText());
    }

    @Test
    void resultCodesMatchTheVectors() throws Exception {
        JsonNode rc = Vectors.load("diameter-swx.json").get("result_codes");
        int base = compareFields(rc.get("Result-Code (base, RFC 6733 section 7.1)"), ResultCodes.class);
        int experimental = compareFields(rc.get("Experimental-Result-Code, vendor 10415, relevant to SWx"), ResultCodes.ThreeGpp.class);
        int gy = compareFields(Vectors.load("diameter-gy.json").get("result_codes_rfc4006_section9"), ResultCodes.class);
        assertThat(base).isEqualTo(26);
        assertThat(experimental).isEqualTo(24);
        assertThat(gy).isEqualTo(5);
    }

    @Test
    void enumerationsMatchTheVectors() throws Exception {
        JsonNode swx = Vectors.load("diameter-swx.json").get("enumerations");
        int n = compareFields(swx.at("/Server-Assignment-Type (614)/values"), SwxApplication.ServerAssignmentType.class)
                + compareFields(swx.at("/Reason-Code (616)/values"), SwxApplication.ReasonCode.class)
                + compareFields(swx.at("/RAT-Type (1032)/values"), SwxApplication.RatType.class)
                + compareFields(swx.at("/Non-3GPP-IP-Access (1501)/values"), SwxApplication.Non3gppIpAccess.class)
                + compareFields(swx.at("/Non-3GPP-IP-Access-APN (1502)/values"), SwxApplication.Non3gppIpAccessApn.class)
                + compareFields(swx.at("/AN-Trusted (1503)/values"), SwxApplication.AnTrusted.class)
                + compareFields(swx.at("/ERP-Authorization (1541)/values"), SwxApplication.ErpAuthorization.class);
        assertThat(n).isEqualTo(15 + 4 + 13 + 2 + 2 + 2 + 2);
        assertThat(BaseProtocol.AuthSessionState.NO_STATE_MAINTAINED)
                .isEqualTo(swx.at("/Auth-Session-State (277)/values/NO_STATE_MAINTAINED (used on SWx)").asInt());

        JsonNode gy = Vectors.load("diameter-gy.json");
        JsonNode e = gy.get("enumerations_rfc4006");
        int m = compareFields(e.get("8.3 CC-Request-Type AVP"), CreditControlApplication.CcRequestType.class)
                + compareFields(e.get("8.4 CC-Session-Failover AVP"), CreditControlApplication.CcSessionFailover.class)
                + compareFields(e.get("8.14 Credit-Control-Failure-Handling AVP"), CreditControlApplication.CreditControlFailureHandling.class)
                + compareFields(e.get("8.32 CC-Unit-Type AVP"), CreditControlApplication.CcUnitType.class)
                + compareFields(e.get("8.35 Final-Unit-Action AVP"), CreditControlApplication.FinalUnitAction.class)
                + compareFields(e.get("8.40 Multiple-Services-Indicator AVP"), CreditControlApplication.MultipleServicesIndicator.class)
                + compareFields(e.get("8.41 Requested-Action AVP"), CreditControlApplication.RequestedAction.class)
                + compareFields(e.get("8.47 Subscription-Id-Type AVP"), CreditControlApplication.SubscriptionIdType.class)
                + compareFields(e.get("8.50 User-Equipment-Info-Type AVP"), CreditControlApplication.UserEquipmentInfoType.class)
                + compareFields(gy.at("/enumerations_3gpp/Reporting-Reason (872)/values"), CreditControlApplication.ReportingReason.class);
        assertThat(m).isEqualTo(4 + 2 + 3 + 6 + 3 + 2 + 4 + 5 + 4 + 10);
    }

    /** Every numeric member of the JSON object must be a constant of the class with the same (normalised) name. */
    private static int compareFields(JsonNode object, Class<?> constants) throws IllegalAccessException {
        assertThat(object).as("vector section for %s", constants.getSimpleName()).isNotNull();
        List<String> missing = new ArrayList<>();
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                continue;
            }
            String field = e.getKey().toUpperCase().replaceAll("[^A-Z0-9]+", "_");
            try {
                Field f = constants.getField(field);
                assertThat(((Number) f.get(null)).longValue()).as("%s.%s", constants.getSimpleName(), field)
                        .isEqualTo(e.getValue().asLong());
                n++;
            } catch (NoSuchFieldException ex) {
                missing.add(field);
            }
        }
        assertThat(missing).as("constants missing in %s", constants.getSimpleName()).isEmpty();
        return n;
    }
}
