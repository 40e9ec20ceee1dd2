package org.opentwag.diameter.stack;

/**
 * Labels of {@code diameter_overload_abated_count}: requests this node dropped by DOIC loss abatement.
 *
 * @param peer        the reporting node: its Origin-Host for a host report, its realm for a realm report
 * @param application swx, gy, ... (as in {@link MessageCountKey})
 */
public record OverloadAbatedKey(String peer, String application) {
}
