package org.opentwag.api.state;

/** State bytes that do not hold what their codec expects: too short, a length or an enum constant out of range. */
public final class StateFormatException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StateFormatException(String message) {
        super(message);
    }
}
