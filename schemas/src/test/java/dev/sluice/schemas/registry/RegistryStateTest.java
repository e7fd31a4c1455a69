package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistryStateTest {
  private static final String PLAIN = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\"}}}";
  /** Registered before the pattern size limit existed: the log still holds it. */
  private static final String FROZE_THE_GATEWAY =
      "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"^(a{1,1000}){1,1000}$\"}}}";

  @Test
  void aLoggedVersionThatTodaysRulesRefuseKeepsItsNumberButIsUnusable() {
    RegistryState state = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered("zz.quant", 1, PLAIN))
        .apply(new RegistryRecord.SchemaRegistered("zz.quant", 2, FROZE_THE_GATEWAY))
        .apply(new RegistryRecord.SchemaRegistered("zz.quant", 3, PLAIN.replace("string", "number")));

    assertEquals(3, state.versions("zz.quant").size());
    SchemaVersion two = state.version("zz.quant", 2).orElseThrow();
    assertFalse(two.usable());
    assertEquals("pattern-size", two.problems().get(0).rule());
    assertEquals(SchemaVersion.UNUSABLE_KEYWORD, assertInstanceOf(Validation.Invalid.class,
        two.validate("{\"s\":\"" + "a".repeat(5_000) + "!\"}")).violations().get(0).keyword());
    // The versions around it are untouched, and the one after it kept its number.
    assertTrue(state.version("zz.quant", 1).orElseThrow().usable());
    assertInstanceOf(Validation.Valid.class, state.latest("zz.quant").orElseThrow().validate("{\"s\":2}"));
    assertEquals(3, state.latest("zz.quant").orElseThrow().version());
  }
}
