package io.imserver.app;

import io.imserver.auth.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The admin bearer token: the configured one, else the one kept in the data directory, else a new one kept there. */
final class AdminTokens {
    static final String FILE_NAME = "admin-token";

    /** Whether {@link #resolve} generated a new token (so that it is printed once). */
    record Resolved(String token, boolean generated, Path file) {
    }

    private AdminTokens() {
    }

    static Resolved resolve(ServerConfig config) {
        if (config.adminToken() != null) {
            return new Resolved(config.adminToken(), false, null);
        }
        var file = config.dataDir().resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return new Resolved(Files.readString(file).strip(), false, file);
            }
            Files.createDirectories(config.dataDir());
            var token = TokenService.newSecret();
            Files.writeString(file, token + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the default permissions
            }
            return new Resolved(token, true, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token file " + file.toAbsolutePath(), e);
        }
    }
}
