package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaIdsTest {
  private static final String A = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}";
  private static final String B = "{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"}}}";

  /** A version whose fingerprint is chosen, to force two schemas onto one preferred id. */
  private static SchemaVersion withFingerprint(String type, String schema, String fingerprint) {
    return new SchemaVersion(type, 1, schema, fingerprint, SchemaCompiler.compile(schema));
  }

  @Test
  void anIdIsTheFingerprintsFirst31BitsSoItDoesNotDependOnWhatElseIsRegistered() {
    RegistryState one = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered("t.a", 1, A))
        .apply(new RegistryRecord.SchemaRegistered("t.b", 1, B));
    // Another registry, other order, other types: same ids.
    RegistryState other = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered("x.b", 1, B))
        .apply(new RegistryRecord.SchemaRegistered("x.a", 1, A));

    int a = one.ids().id(SchemaFingerprint.of(A)).orElseThrow();
    assertEquals(SchemaIds.preferred(SchemaFingerprint.of(A)), a);
    assertEquals(Integer.parseInt(SchemaFingerprint.of(A).substring(0, 8), 16) & 0x7fffffff, a);
    assertEquals(Optional.of(a), other.ids().id(SchemaFingerprint.of(A)));
    assertEquals(other.ids().id(SchemaFingerprint.of(B)), one.ids().id(SchemaFingerprint.of(B)));
    assertNotEquals(a, one.ids().id(SchemaFingerprint.of(B)).orElseThrow());
  }

  @Test
  void theSameSchemaUnderTwoTypesOrReformattedHasOneIdAnsweringWithTheFirstText() {
    String reformatted = "{ \"properties\": {\"a\": {\"type\": \"string\"}}, \"type\": \"object\" }";
    RegistryState state = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered("t.one", 1, A))
        .apply(new RegistryRecord.SchemaRegistered("t.two", 1, reformatted));
    int id = state.ids().id(SchemaFingerprint.of(A)).orElseThrow();
    assertEquals(Optional.of(id), state.ids().id(SchemaFingerprint.of(reformatted)));
    SchemaVersion first = state.ids().schema(id).orElseThrow();
    assertEquals("t.one", first.type());
    assertEquals(A, first.schemaJson());
  }

  @Test
  void ofTwoSchemasOnOnePreferredIdTheFirstInLogOrderKeepsItAndTheLaterTakesTheNextFree() {
    String fa = "0000002a" + "a".repeat(56);
    String fb = "0000002a" + "b".repeat(56);
    String fc = "0000002b" + "c".repeat(56);
    SchemaIds ids = SchemaIds.empty()
        .with(withFingerprint("t.a", A, fa))
        .with(withFingerprint("t.b", B, fb));
    assertEquals(Optional.of(42), ids.id(fa));
    assertEquals(Optional.of(43), ids.id(fb));
    // A third schema whose own preferred id (43) was taken by the collision moves on too.
    ids = ids.with(withFingerprint("t.c", A.replace('a', 'c'), fc));
    assertEquals(Optional.of(44), ids.id(fc));
    // Applied in the other order, the other schema keeps 42: the log order decides, and every replica applies it alike.
    SchemaIds reversed = SchemaIds.empty()
        .with(withFingerprint("t.b", B, fb))
        .with(withFingerprint("t.a", A, fa));
    assertEquals(Optional.of(42), reversed.id(fb));
    assertEquals(Optional.of(43), reversed.id(fa));
  }

  @Test
  void probingWrapsPastTheLargestIdToOneAndZeroIsNeverAnId() {
    String top = "7fffffff" + "a".repeat(56);
    String topToo = "ffffffff" + "b".repeat(56);
    SchemaIds ids = SchemaIds.empty().with(withFingerprint("t.a", A, top)).with(withFingerprint("t.b", B, topToo));
    assertEquals(Optional.of(Integer.MAX_VALUE), ids.id(top));
    assertEquals(Optional.of(1), ids.id(topToo));
    assertEquals(1, SchemaIds.preferred("80000000" + "0".repeat(56)));
  }

  @Test
  void aSchemaAlreadyHeldChangesNothingAndUnknownIdsAreEmpty() {
    SchemaVersion v = SchemaVersion.compile("t.a", 1, A);
    SchemaIds ids = SchemaIds.empty().with(v);
    assertSame(ids, ids.with(SchemaVersion.compile("t.other", 3, A)));
    int id = ids.id(v.fingerprint()).orElseThrow();
    assertTrue(ids.schema(id == 1 ? 2 : 1).isEmpty());
    assertTrue(ids.id(SchemaFingerprint.of(B)).isEmpty());
  }
}
