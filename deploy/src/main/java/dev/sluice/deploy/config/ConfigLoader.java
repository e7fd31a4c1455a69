package dev.sluice.deploy.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Loads the configuration once: an optional properties file, then the environment, which wins.
 *
 * <p>Keys are dotted lower-case ({@code sluice.gateway.port}). The environment variable for a key is its upper-case
 * form with dots as underscores ({@code SLUICE_GATEWAY_PORT}); every variable starting with {@code SLUICE_} is
 * mapped back (lower-case, underscores to dots). Hence keys cannot contain underscores.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "SLUICE_";
    /** The environment variable naming the config file, when {@code --config} is not given. */
    public static final String CONFIG_FILE_ENV = "SLUICE_CONFIG";

    private ConfigLoader() {
    }

    public static RawConfig load(Path fileOrNull, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> origins = new HashMap<>();
        if (fileOrNull != null) {
            Properties props = readFile(fileOrNull);
            for (String name : props.stringPropertyNames()) {
                String key = name.trim();
                values.put(key, props.getProperty(name).trim());
                origins.put(key, "file " + fileOrNull);
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = keyFor(name);
                values.put(key, value.trim());
                origins.put(key, "environment variable " + name);
            }
        });
        return new RawConfig(values, origins);
    }

    /** The config file: {@code --config} if given, else {@code SLUICE_CONFIG}, else none. */
    public static Optional<Path> configFile(String commandLineValueOrNull, Map<String, String> env) {
        String value = commandLineValueOrNull != null ? commandLineValueOrNull : env.get(CONFIG_FILE_ENV);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /** {@code sluice.gateway.port} -> {@code SLUICE_GATEWAY_PORT}. */
    public static String envNameFor(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** {@code SLUICE_GATEWAY_PORT} -> {@code sluice.gateway.port}. */
    public static String keyFor(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static Properties readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        return props;
    }
}
