package org.opentwag.diameter.codec;

/**
 * A Diameter command as the dictionary knows it.
 *
 * @param name          e.g. "Multimedia-Authentication"
 * @param code          the command code
 * @param requestAbbrev e.g. "MAR"
 * @param answerAbbrev  e.g. "MAA"
 * @param proxiable     whether requests carry the 'P' bit
 */
public record CommandDefinition(String name, int code, String requestAbbrev, String answerAbbrev, boolean proxiable) {

    /** The abbreviation for a request or an answer of this command. */
    public String abbreviation(boolean request) {
        return request ? requestAbbrev : answerAbbrev;
    }
}
