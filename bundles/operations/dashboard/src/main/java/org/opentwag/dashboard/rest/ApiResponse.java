package org.opentwag.dashboard.rest;

import java.util.Map;

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

    /** A file to download as is (not JSON), e.g. a Passpoint profile for a phone or an AP. */
    public static ApiResponse download(String contentType, Map<String, String> headers, byte[] content) {
        return new ApiResponse(200, new Download(contentType, Map.copyOf(headers), content));
    }

    /** The body of {@link #download}: written raw with its content type and extra headers. */
    public record Download(String contentType, Map<String, String> headers, byte[] content) {
    }

    /** A data source that is not installed (its feature or configuration is missing). */
    public static ApiResponse notInstalled(String what) {
        return new ApiResponse(503, java.util.Map.of("error", what + " is not installed", "installed", false));
    }
}
