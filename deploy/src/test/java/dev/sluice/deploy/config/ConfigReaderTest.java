package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConfigReaderTest {
    enum Mode { DEV, PRODUCTION }

    private static ConfigReader reader(Map<String, String> values) {
        return new ConfigReader(RawConfig.of(values));
    }

    @Test
    void absentKeysGiveDefaultsAndNoProblems() {
        ConfigReader r = reader(Map.of());
        assertEquals(8080, r.port("sluice.gateway.port", 8080));
        assertEquals(Duration.ofSeconds(3), r.duration("sluice.x.timeout", Duration.ofSeconds(3)));
        assertEquals(Mode.DEV, r.enumValue("sluice.mode", Mode.class, Mode.DEV));
        assertEquals(Optional.empty(), r.optionalUri("sluice.aws.endpoint"));
        assertDoesNotThrow(r::validate);
    }

    @Test
    void validValuesParse() {
        ConfigReader r = reader(Map.of(
                "p", "8081", "d1", "250ms", "d2", "PT10S", "d3", "5m", "e", "production", "u", "http://127.0.0.1:8000",
                "b", "off", "i", "7"));
        assertEquals(8081, r.port("p", 1));
        assertEquals(Duration.ofMillis(250), r.duration("d1", Duration.ZERO));
        assertEquals(Duration.ofSeconds(10), r.duration("d2", Duration.ZERO));
        assertEquals(Duration.ofMinutes(5), r.duration("d3", Duration.ZERO));
        assertEquals(Mode.PRODUCTION, r.enumValue("e", Mode.class, Mode.DEV));
        assertEquals(Optional.of(URI.create("http://127.0.0.1:8000")), r.optionalUri("u"));
        assertEquals(false, r.bool("b", true));
        assertEquals(7, r.integer("i", 0, 1, 10));
        assertEquals(List.of(), r.problems());
    }

    @Test
    void badValuesAreAllCollectedAndTheDefaultsReturned() {
        ConfigReader r = reader(Map.of(
                "port", "0", "int", "seven", "range", "11", "enum", "staging", "uri", "dynamodb.local",
                "duration", "ten seconds", "bool", "maybe"));

        assertEquals(1, r.port("port", 1));
        assertEquals(2, r.integer("int", 2));
        assertEquals(3, r.integer("range", 3, 1, 10));
        assertEquals(Mode.DEV, r.enumValue("enum", Mode.class, Mode.DEV));
        assertEquals(Optional.empty(), r.optionalUri("uri"));
        assertEquals(Duration.ZERO, r.duration("duration", Duration.ZERO));
        assertEquals(true, r.bool("bool", true));

        List<String> problems = r.problems();
        assertEquals(7, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("port = '0'"), problems.get(0));
        assertTrue(problems.get(1).contains("expected an integer"), problems.get(1));
        assertTrue(problems.get(2).contains("must be between 1 and 10"), problems.get(2));
        assertTrue(problems.get(3).contains("must be one of DEV, PRODUCTION"), problems.get(3));
        assertTrue(problems.get(4).contains("absolute URI"), problems.get(4));
        ConfigException e = assertThrows(ConfigException.class, r::validate);
        assertEquals(problems, e.problems());
        assertTrue(e.getMessage().startsWith("Invalid configuration (7 problems):"), e.getMessage());
    }

    @Test
    void aRecordConstructorFailureBecomesAProblemOfItsSection() {
        ConfigReader r = reader(Map.of());
        Object built = r.build("sluice.thing", () -> {
            throw new IllegalArgumentException("limit must be positive");
        });
        assertEquals(null, built);
        assertEquals(List.of("sluice.thing: limit must be positive"), r.problems());
    }
}
