package org.opentwag.diameter.stack;

/**
 * Labels of the {@code diameter_message_count{application,command,direction}} metric.
 *
 * @param application "swx", "gy", "base" or the number
 * @param command     "MAR", "MAA", "CER", "DWA"...
 * @param direction   "in" or "out"
 */
public record MessageCountKey(String application, String command, String direction) {
}
