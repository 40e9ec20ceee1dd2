package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.AvpFormat.ENUMERATED;
import static org.opentwag.diameter.codec.AvpFormat.GROUPED;
import static org.opentwag.diameter.codec.AvpFormat.INTEGER32;
import static org.opentwag.diameter.codec.AvpFormat.INTEGER64;
import static org.opentwag.diameter.codec.AvpFormat.IP_FILTER_RULE;
import static org.opentwag.diameter.codec.AvpFormat.OCTET_STRING;
import static org.opentwag.diameter.codec.AvpFormat.TIME;
import static org.opentwag.diameter.codec.AvpFormat.UNSIGNED32;
import static org.opentwag.diameter.codec.AvpFormat.UNSIGNED64;
import static org.opentwag.diameter.codec.AvpFormat.UTF8_STRING;
import static org.opentwag.diameter.codec.BaseProtocol.ietf;
import static org.opentwag.diameter.codec.BaseProtocol.tgpp;

import java.util.List;

/**
 * Diameter Credit Control (RFC 4006, application 4) as used on Gy, with the TS 32.299 AVPs of the 3GPP
 * Multiple-Services-Credit-Control. Codes, types and flags as listed in {@code vectors/diameter-gy.json}.
 */
public final class CreditControlApplication {
    private CreditControlApplication() {
    }

    public static final long APPLICATION_ID = 4;

    /** Command codes: CCR/CCA (RFC 4006 3.1); RAR, ASR and STR come from the base protocol. */
    public static final int CREDIT_CONTROL_COMMAND = 272;

    public static final AvpDefinition CC_CORRELATION_ID = ietf("CC-Correlation-Id", 411, OCTET_STRING, false);
    public static final AvpDefinition CC_INPUT_OCTETS = ietf("CC-Input-Octets", 412, UNSIGNED64, true);
    public static final AvpDefinition CC_MONEY = ietf("CC-Money", 413, GROUPED, true);
    public static final AvpDefinition CC_OUTPUT_OCTETS = ietf("CC-Output-Octets", 414, UNSIGNED64, true);
    public static final AvpDefinition CC_REQUEST_NUMBER = ietf("CC-Request-Number", 415, UNSIGNED32, true);
    public static final AvpDefinition CC_REQUEST_TYPE = ietf("CC-Request-Type", 416, ENUMERATED, true);
    public static final AvpDefinition CC_SERVICE_SPECIFIC_UNITS = ietf("CC-Service-Specific-Units", 417, UNSIGNED64, true);
    public static final AvpDefinition CC_SESSION_FAILOVER = ietf("CC-Session-Failover", 418, ENUMERATED, true);
    public static final AvpDefinition CC_SUB_SESSION_ID = ietf("CC-Sub-Session-Id", 419, UNSIGNED64, true);
    public static final AvpDefinition CC_TIME = ietf("CC-Time", 420, UNSIGNED32, true);
    public static final AvpDefinition CC_TOTAL_OCTETS = ietf("CC-Total-Octets", 421, UNSIGNED64, true);
    public static final AvpDefinition CC_UNIT_TYPE = ietf("CC-Unit-Type", 454, ENUMERATED, true);
    public static final AvpDefinition CHECK_BALANCE_RESULT = ietf("Check-Balance-Result", 422, ENUMERATED, true);
    public static final AvpDefinition COST_INFORMATION = ietf("Cost-Information", 423, GROUPED, true);
    public static final AvpDefinition COST_UNIT = ietf("Cost-Unit", 424, UTF8_STRING, true);
    public static final AvpDefinition CREDIT_CONTROL = ietf("Credit-Control", 426, ENUMERATED, true);
    public static final AvpDefinition CREDIT_CONTROL_FAILURE_HANDLING = ietf("Credit-Control-Failure-Handling", 427, ENUMERATED, true);
    public static final AvpDefinition CURRENCY_CODE = ietf("Currency-Code", 425, UNSIGNED32, true);
    public static final AvpDefinition DIRECT_DEBITING_FAILURE_HANDLING = ietf("Direct-Debiting-Failure-Handling", 428, ENUMERATED, true);
    public static final AvpDefinition EXPONENT = ietf("Exponent", 429, INTEGER32, true);
    public static final AvpDefinition FINAL_UNIT_ACTION = ietf("Final-Unit-Action", 449, ENUMERATED, true);
    public static final AvpDefinition FINAL_UNIT_INDICATION = ietf("Final-Unit-Indication", 430, GROUPED, true);
    public static final AvpDefinition GRANTED_SERVICE_UNIT = ietf("Granted-Service-Unit", 431, GROUPED, true);
    public static final AvpDefinition G_S_U_POOL_IDENTIFIER = ietf("G-S-U-Pool-Identifier", 453, UNSIGNED32, true);
    public static final AvpDefinition G_S_U_POOL_REFERENCE = ietf("G-S-U-Pool-Reference", 457, GROUPED, true);
    public static final AvpDefinition MULTIPLE_SERVICES_CREDIT_CONTROL = ietf("Multiple-Services-Credit-Control", 456, GROUPED, true);
    public static final AvpDefinition MULTIPLE_SERVICES_INDICATOR = ietf("Multiple-Services-Indicator", 455, ENUMERATED, true);
    public static final AvpDefinition RATING_GROUP = ietf("Rating-Group", 432, UNSIGNED32, true);
    public static final AvpDefinition REDIRECT_ADDRESS_TYPE = ietf("Redirect-Address-Type", 433, ENUMERATED, true);
    public static final AvpDefinition REDIRECT_SERVER = ietf("Redirect-Server", 434, GROUPED, true);
    public static final AvpDefinition REDIRECT_SERVER_ADDRESS = ietf("Redirect-Server-Address", 435, UTF8_STRING, true);
    public static final AvpDefinition REQUESTED_ACTION = ietf("Requested-Action", 436, ENUMERATED, true);
    public static final AvpDefinition REQUESTED_SERVICE_UNIT = ietf("Requested-Service-Unit", 437, GROUPED, true);
    public static final AvpDefinition RESTRICTION_FILTER_RULE = ietf("Restriction-Filter-Rule", 438, IP_FILTER_RULE, true);
    public static final AvpDefinition SERVICE_CONTEXT_ID = ietf("Service-Context-Id", 461, UTF8_STRING, true);
    public static final AvpDefinition SERVICE_IDENTIFIER = ietf("Service-Identifier", 439, UNSIGNED32, true);
    public static final AvpDefinition SERVICE_PARAMETER_INFO = ietf("Service-Parameter-Info", 440, GROUPED, false);
    public static final AvpDefinition SERVICE_PARAMETER_TYPE = ietf("Service-Parameter-Type", 441, UNSIGNED32, false);
    public static final AvpDefinition SERVICE_PARAMETER_VALUE = ietf("Service-Parameter-Value", 442, OCTET_STRING, false);
    public static final AvpDefinition SUBSCRIPTION_ID = ietf("Subscription-Id", 443, GROUPED, true);
    public static final AvpDefinition SUBSCRIPTION_ID_DATA = ietf("Subscription-Id-Data", 444, UTF8_STRING, true);
    public static final AvpDefinition SUBSCRIPTION_ID_TYPE = ietf("Subscription-Id-Type", 450, ENUMERATED, true);
    public static final AvpDefinition TARIFF_CHANGE_USAGE = ietf("Tariff-Change-Usage", 452, ENUMERATED, true);
    public static final AvpDefinition TARIFF_TIME_CHANGE = ietf("Tariff-Time-Change", 451, TIME, true);
    public static final AvpDefinition UNIT_VALUE = ietf("Unit-Value", 445, GROUPED, true);
    public static final AvpDefinition USED_SERVICE_UNIT = ietf("Used-Service-Unit", 446, GROUPED, true);
    public static final AvpDefinition USER_EQUIPMENT_INFO = ietf("User-Equipment-Info", 458, GROUPED, false);
    public static final AvpDefinition USER_EQUIPMENT_INFO_TYPE = ietf("User-Equipment-Info-Type", 459, ENUMERATED, false);
    public static final AvpDefinition USER_EQUIPMENT_INFO_VALUE = ietf("User-Equipment-Info-Value", 460, OCTET_STRING, false);
    public static final AvpDefinition VALUE_DIGITS = ietf("Value-Digits", 447, INTEGER64, true);
    public static final AvpDefinition VALIDITY_TIME = ietf("Validity-Time", 448, UNSIGNED32, true);
    public static final AvpDefinition TIME_QUOTA_THRESHOLD = tgpp("Time-Quota-Threshold", 868, UNSIGNED32, true);
    public static final AvpDefinition VOLUME_QUOTA_THRESHOLD = tgpp("Volume-Quota-Threshold", 869, UNSIGNED32, true);
    public static final AvpDefinition UNIT_QUOTA_THRESHOLD = tgpp("Unit-Quota-Threshold", 1226, UNSIGNED32, true);
    public static final AvpDefinition QUOTA_HOLDING_TIME = tgpp("Quota-Holding-Time", 871, UNSIGNED32, true);
    public static final AvpDefinition QUOTA_CONSUMPTION_TIME = tgpp("Quota-Consumption-Time", 881, UNSIGNED32, true);
    public static final AvpDefinition TRIGGER = tgpp("Trigger", 1264, GROUPED, true);
    public static final AvpDefinition TRIGGER_TYPE = tgpp("Trigger-Type", 870, ENUMERATED, true);
    public static final AvpDefinition REPORTING_REASON = tgpp("Reporting-Reason", 872, ENUMERATED, true);
    public static final AvpDefinition TIME_QUOTA_MECHANISM = tgpp("Time-Quota-Mechanism", 1270, GROUPED, true);
    public static final AvpDefinition TIME_QUOTA_TYPE = tgpp("Time-Quota-Type", 1271, ENUMERATED, true);
    public static final AvpDefinition BASE_TIME_INTERVAL = tgpp("Base-Time-Interval", 1265, UNSIGNED32, true);
    public static final AvpDefinition ENVELOPE_REPORTING = tgpp("Envelope-Reporting", 1268, ENUMERATED, true);
    public static final AvpDefinition SERVICE_INFORMATION = tgpp("Service-Information", 873, GROUPED, true);
    public static final AvpDefinition PS_INFORMATION = tgpp("PS-Information", 874, GROUPED, true);
    public static final AvpDefinition NODE_ID = tgpp("Node-Id", 2064, UTF8_STRING, true);

    /** CC-Request-Type (RFC 4006 8.3). */
    public static final class CcRequestType {
        private CcRequestType() {
        }

        public static final int INITIAL_REQUEST = 1;
        public static final int UPDATE_REQUEST = 2;
        public static final int TERMINATION_REQUEST = 3;
        public static final int EVENT_REQUEST = 4;
    }

    /** CC-Session-Failover (RFC 4006 8.4). */
    public static final class CcSessionFailover {
        private CcSessionFailover() {
        }

        public static final int FAILOVER_NOT_SUPPORTED = 0;
        public static final int FAILOVER_SUPPORTED = 1;
    }

    /** Credit-Control-Failure-Handling (RFC 4006 8.14). */
    public static final class CreditControlFailureHandling {
        private CreditControlFailureHandling() {
        }

        public static final int TERMINATE = 0;
        public static final int CONTINUE = 1;
        public static final int RETRY_AND_TERMINATE = 2;
    }

    /** CC-Unit-Type (RFC 4006 8.32). */
    public static final class CcUnitType {
        private CcUnitType() {
        }

        public static final int TIME = 0;
        public static final int MONEY = 1;
        public static final int TOTAL_OCTETS = 2;
        public static final int INPUT_OCTETS = 3;
        public static final int OUTPUT_OCTETS = 4;
        public static final int SERVICE_SPECIFIC_UNITS = 5;
    }

    /** Final-Unit-Action (RFC 4006 8.35). */
    public static final class FinalUnitAction {
        private FinalUnitAction() {
        }

        public static final int TERMINATE = 0;
        public static final int REDIRECT = 1;
        public static final int RESTRICT_ACCESS = 2;
    }

    /** Multiple-Services-Indicator (RFC 4006 8.40). */
    public static final class MultipleServicesIndicator {
        private MultipleServicesIndicator() {
        }

        public static final int MULTIPLE_SERVICES_NOT_SUPPORTED = 0;
        public static final int MULTIPLE_SERVICES_SUPPORTED = 1;
    }

    /** Requested-Action (RFC 4006 8.41). */
    public static final class RequestedAction {
        private RequestedAction() {
        }

        public static final int DIRECT_DEBITING = 0;
        public static final int REFUND_ACCOUNT = 1;
        public static final int CHECK_BALANCE = 2;
        public static final int PRICE_ENQUIRY = 3;
    }

    /** Subscription-Id-Type (RFC 4006 8.47). */
    public static final class SubscriptionIdType {
        private SubscriptionIdType() {
        }

        public static final int END_USER_E164 = 0;
        public static final int END_USER_IMSI = 1;
        public static final int END_USER_SIP_URI = 2;
        public static final int END_USER_NAI = 3;
        public static final int END_USER_PRIVATE = 4;
    }

    /** User-Equipment-Info-Type (RFC 4006 8.50). */
    public static final class UserEquipmentInfoType {
        private UserEquipmentInfoType() {
        }

        public static final int IMEISV = 0;
        public static final int MAC = 1;
        public static final int EUI64 = 2;
        public static final int MODIFIED_EUI64 = 3;
    }

    /** Reporting-Reason (TS 32.299). */
    public static final class ReportingReason {
        private ReportingReason() {
        }

        public static final int THRESHOLD = 0;
        public static final int QHT = 1;
        public static final int FINAL = 2;
        public static final int QUOTA_EXHAUSTED = 3;
        public static final int VALIDITY_TIME = 4;
        public static final int OTHER_QUOTA_TYPE = 5;
        public static final int RATING_CONDITION_CHANGE = 6;
        public static final int FORCED_REAUTHORISATION = 7;
        public static final int POOL_EXHAUSTED = 8;
        public static final int UNUSED_QUOTA_TIMER = 9;
    }

    static List<AvpDefinition> avps() {
        return List.of(CC_CORRELATION_ID, CC_INPUT_OCTETS, CC_MONEY, CC_OUTPUT_OCTETS, CC_REQUEST_NUMBER, CC_REQUEST_TYPE, CC_SERVICE_SPECIFIC_UNITS, CC_SESSION_FAILOVER, CC_SUB_SESSION_ID, CC_TIME, CC_TOTAL_OCTETS, CC_UNIT_TYPE, CHECK_BALANCE_RESULT, COST_INFORMATION, COST_UNIT, CREDIT_CONTROL, CREDIT_CONTROL_FAILURE_HANDLING, CURRENCY_CODE, DIRECT_DEBITING_FAILURE_HANDLING, EXPONENT, FINAL_UNIT_ACTION, FINAL_UNIT_INDICATION, GRANTED_SERVICE_UNIT, G_S_U_POOL_IDENTIFIER, G_S_U_POOL_REFERENCE, MULTIPLE_SERVICES_CREDIT_CONTROL, MULTIPLE_SERVICES_INDICATOR, RATING_GROUP, REDIRECT_ADDRESS_TYPE, REDIRECT_SERVER, REDIRECT_SERVER_ADDRESS, REQUESTED_ACTION, REQUESTED_SERVICE_UNIT, RESTRICTION_FILTER_RULE, SERVICE_CONTEXT_ID, SERVICE_IDENTIFIER, SERVICE_PARAMETER_INFO, SERVICE_PARAMETER_TYPE, SERVICE_PARAMETER_VALUE, SUBSCRIPTION_ID, SUBSCRIPTION_ID_DATA, SUBSCRIPTION_ID_TYPE, TARIFF_CHANGE_USAGE, TARIFF_TIME_CHANGE, UNIT_VALUE, USED_SERVICE_UNIT, USER_EQUIPMENT_INFO, USER_EQUIPMENT_INFO_TYPE, USER_EQUIPMENT_INFO_VALUE, VALUE_DIGITS, VALIDITY_TIME, TIME_QUOTA_THRESHOLD, VOLUME_QUOTA_THRESHOLD, UNIT_QUOTA_THRESHOLD, QUOTA_HOLDING_TIME, QUOTA_CONSUMPTION_TIME, TRIGGER, TRIGGER_TYPE, REPORTING_REASON, TIME_QUOTA_MECHANISM, TIME_QUOTA_TYPE, BASE_TIME_INTERVAL, ENVELOPE_REPORTING, SERVICE_INFORMATION, PS_INFORMATION, NODE_ID);
    }

    static List<CommandDefinition> commands() {
        return List.of(new CommandDefinition("Credit-Control", CREDIT_CONTROL_COMMAND, "CCR", "CCA", true));
    }
}
