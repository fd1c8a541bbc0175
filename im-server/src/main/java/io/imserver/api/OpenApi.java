package io.imserver.api;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The OpenAPI 3 document of the admin HTTP API (docs/openapi.json), served without auth at {@link #PATH}. */
final class OpenApi {
    static final String PATH = "/api/v1/openapi.json";
    private static final String RESOURCE = "/io/imserver/api/openapi.json";
    private static volatile byte[] document;

    private OpenApi() {
    }

    static byte[] document() {
        var d = document;
        if (d == null) {
            try (var in = OpenApi.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the classpath");
                }
                d = in.readAllBytes();
                document = d;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
        return d;
    }
}
