package org.opentwag.dashboard.rest;

/**
 * What the REST API answers: an HTTP status and a JSON-serialisable body (records, maps, lists).
 *
 * @param status HTTP status code
 * @param body   the body, serialised as JSON by the servlet
 */
public record ApiResponse(int status, Object body) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body);
    }

    /** An error the client can read: {@code {"error": "..."}}. */
    public static ApiResponse error(int status, String message) {
        return new ApiResponse(status, java.util.Map.of("error", message));
    }

    /** A data source that is not installed (its feature or configuration is missing). */
    public static ApiResponse notInstalled(String what) {
        return new ApiResponse(503, java.util.Map.of("error", what + " is not installed", "installed", false));
    }
}
