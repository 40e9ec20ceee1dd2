package org.opentwag.radius.codec;

import java.util.Map;

/**
 * What the dictionary knows about one attribute.
 *
 * @param name        dictionary name as FreeRADIUS and Wireshark print it
 * @param dataType    value layout, used to validate fixed lengths on decode and for display
 * @param secret      true when the value must never be logged (hidden passwords, keys)
 * @param valueNames  names of enumerated integer values (e.g. Acct-Status-Type Start), may be empty
 */
public record AttributeDefinition(String name, AttributeDataType dataType, boolean secret, Map<Integer, String> valueNames) {
    public AttributeDefinition {
        valueNames = Map.copyOf(valueNames);
    }

    static AttributeDefinition of(String name, AttributeDataType dataType) {
        return new AttributeDefinition(name, dataType, false, Map.of());
    }

    static AttributeDefinition secret(String name) {
        return new AttributeDefinition(name, AttributeDataType.OCTETS, true, Map.of());
    }

    static AttributeDefinition enumerated(String name, Map<Integer, String> valueNames) {
        return new AttributeDefinition(name, AttributeDataType.INTEGER, false, valueNames);
    }
}
