package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaCompilerTest {

  private static List<SchemaProblem> refused(String schema) {
    return assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile(schema),
        () -> "expected a refusal of " + schema).problems();
  }

  private static SchemaProblem onlyProblem(String schema) {
    List<SchemaProblem> problems = refused(schema);
    assertEquals(1, problems.size(), problems::toString);
    return problems.get(0);
  }

  private static void assertCompiles(String schema) {
    var result = SchemaCompiler.compile(schema);
    assertInstanceOf(SchemaCompiler.Compiled.class, result, result::toString);
  }

  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "retail.photographer.registered", "retail.product.created", "retail.product.photographed"})
  void theShippedSchemasCompile(String type) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/sluice/schemas/" + type + ".json")) {
      assertCompiles(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRecursiveTreeCompilesBecauseItsRecursionDescendsIntoItems() {
    String tree = json("{'definitions':{'node':{'type':'object','properties':{'children':{'type':'array',"
        + "'items':{'$ref':'#/definitions/node'}}}}},'$ref':'#/definitions/node'}");
    assertCompiles(tree);
    var version = SchemaVersion.compile("t", 1, tree);
    assertInstanceOf(Validation.Valid.class, version.validate("{\"children\":[{\"children\":[]},{}]}"));
    assertInstanceOf(Validation.Invalid.class, version.validate("{\"children\":[{\"children\":5}]}"));
  }

  @Test
  void localReferencesInAllTheirFormsCompile() {
    assertCompiles(json("{'$defs':{'a':{'type':'string'}},'properties':{'p':{'$ref':'#/$defs/a'}}}"));
    assertCompiles(json("{'definitions':{'a b':{'type':'string'}},'properties':{'p':{'$ref':'#/definitions/a%20b'}}}"));
    assertCompiles(json("{'definitions':{'a':{'$id':'#thing','type':'string'}},'properties':{'p':{'$ref':'#thing'}}}"));
    assertCompiles(json("{'$id':'urn:sluice:schema:x','properties':{'p':{'$ref':'#/definitions/a'}},"
        + "'definitions':{'a':{'$ref':'#/definitions/b'},'b':{'type':'string'}}}"));
    assertCompiles(json("{'properties':{'next':{'$ref':'#'}}}"));
  }

  @Test
  void notOneJsonObjectIsRefused() {
    assertEquals("json", onlyProblem("[1]").rule());
    assertEquals("json", onlyProblem("{\"type\":").rule());
    assertEquals("json", onlyProblem("{} {}").rule());
  }

  @Test
  void aDocumentViolatingTheDraft07MetaSchemaIsRefusedWithPointers() {
    List<SchemaProblem> problems = refused(json(
        "{'type':'strin','properties':{'a':{'minLength':-1},'b':5},'required':[1]}"));
    assertTrue(problems.stream().allMatch(p -> p.rule().equals("draft-07")), problems::toString);
    assertEquals(Set.of("/type", "/required/0", "/properties/a/minLength", "/properties/b"),
        problems.stream().map(SchemaProblem::pointer).collect(Collectors.toSet()));
    assertTrue(problems.stream().noneMatch(p -> p.message().contains("expected type: Boolean, found: JSONObject")),
        "the boolean branch of 'object or boolean' is noise: " + problems);
  }

  @Test
  void anotherDialectIsRefused() {
    SchemaProblem p = onlyProblem(json("{'$schema':'http://json-schema.org/draft-04/schema#','minimum':1}"));
    assertEquals(new SchemaProblem("/$schema", "draft-07", p.message()), p);
  }

  @Test
  void remoteReferencesAreRefusedWithoutOpeningASocket() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = server.getLocalPort();
      List<String> refs = List.of(
          "http://127.0.0.1:" + port + "/x.json",
          "https://127.0.0.1:" + port + "/x.json",
          "http://127.0.0.1:" + port + "/x.json#/definitions/a",
          "file:///etc/passwd",
          "jar:file:/tmp/evil.jar!/x.json",
          "ftp://127.0.0.1:" + port + "/x.json",
          "urn:example:x",
          "other.json",
          "other.json#/definitions/a",
          "//127.0.0.1:" + port + "/x.json");
      for (String ref : refs) {
        SchemaProblem p = onlyProblem("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + ref + "\"}}}");
        assertEquals("remote-ref", p.rule(), ref);
        assertEquals("/properties/a/$ref", p.pointer(), ref);
        assertTrue(p.message().contains("remote $ref is not allowed"), p.message());
      }
      // A nested $id that moves the base URI is fine; a relative $ref below it that leaves the document is not.
      SchemaProblem moved = onlyProblem(json("{'definitions':{'a':{}},'properties':{'p':{'$id':'http://127.0.0.1:"
          + port + "/y.json','properties':{'q':{'$ref':'other.json#/definitions/a'}}}}}"));
      assertEquals(new SchemaProblem("/properties/p/properties/q/$ref", "remote-ref", moved.message()), moved);
      // '#/...' under it means the subschema that $id names: local, and here naming nothing.
      SchemaProblem inside = onlyProblem(json("{'definitions':{'a':{}},'properties':{'p':{'$id':'http://127.0.0.1:"
          + port + "/y.json','properties':{'q':{'$ref':'#/definitions/a'}}}}}"));
      assertEquals("unresolvable-ref", inside.rule());
      assertTrue(inside.message().contains("#/properties/p"), inside.message());
      // Hidden in an unknown keyword and named by a local ref: still never fetched.
      SchemaProblem hidden = onlyProblem(json("{'x-extra':{'s':{'$ref':'http://127.0.0.1:" + port
          + "/z.json'}},'$ref':'#/x-extra/s'}"));
      assertEquals("/x-extra/s/$ref", hidden.pointer());
      assertEquals("remote-ref", hidden.rule());

      server.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, server::accept, "the compiler connected to the test server");
    }
  }

  @Test
  void aLocalReferenceToNothingIsRefused() {
    assertEquals(new SchemaProblem("/properties/a/$ref", "unresolvable-ref",
            "$ref `#/definitions/missing` points at nothing in this document"),
        onlyProblem(json("{'properties':{'a':{'$ref':'#/definitions/missing'}}}")));
    assertEquals("unresolvable-ref", onlyProblem(json("{'properties':{'a':{'$ref':'#nowhere'}}}")).rule());
    assertEquals("unresolvable-ref",
        onlyProblem(json("{'required':['x'],'properties':{'a':{'$ref':'#/required'}}}")).rule());
  }

  @Test
  void referenceCyclesThatNeverDescendAreRefused() {
    assertEquals(new SchemaProblem("/$ref", "ref-cycle",
            "$ref cycle that never descends into the value, so validation would never end: # -> #"),
        onlyProblem(json("{'$ref':'#'}")));
    SchemaProblem ab = onlyProblem(json(
        "{'definitions':{'a':{'$ref':'#/definitions/b'},'b':{'$ref':'#/definitions/a'}},'$ref':'#/definitions/a'}"));
    assertEquals("ref-cycle", ab.rule());
    assertEquals("/definitions/b/$ref", ab.pointer());
    assertEquals(new SchemaProblem("/allOf/0/$ref", "ref-cycle",
            "$ref cycle that never descends into the value, so validation would never end: # -> #/allOf/0 -> #"),
        onlyProblem(json("{'allOf':[{'$ref':'#'}]}")));
    assertEquals("ref-cycle", onlyProblem(json("{'properties':{'a':{'not':{'$ref':'#/properties/a'}}}}")).rule());
    // dependencies applies its schema to the same object, so this never ends either.
    assertEquals("ref-cycle", onlyProblem(json("{'dependencies':{'a':{'$ref':'#'}}}")).rule());
  }

  @Test
  void anOverlongChainOfReferencesIsRefused() {
    StringBuilder defs = new StringBuilder("{\"definitions\":{");
    int length = SchemaCompiler.MAX_IN_PLACE_CHAIN + 1;
    for (int i = 0; i < length; i++) {
      defs.append("\"d").append(i).append("\":{\"$ref\":\"#/definitions/d").append(i + 1).append("\"},");
    }
    defs.append("\"d").append(length).append("\":{\"type\":\"string\"}}}");
    SchemaProblem p = onlyProblem(defs.toString());
    assertEquals(new SchemaProblem("/definitions/d0", "ref-expansion",
        "a chain of 65 $refs applies to the same value; at most 64 are allowed"), p);
    assertCompiles(defs.toString().replace("\"d0\":{\"$ref\":\"#/definitions/d1\"},", ""));
  }

  /** Each level applies the next one twice to the same value: 2^levels schemas for every value validated. */
  private static String doublingLevels(int levels) {
    StringBuilder defs = new StringBuilder("{\"$ref\":\"#/definitions/d0\",\"definitions\":{");
    for (int i = 0; i < levels; i++) {
      String next = "{\"$ref\":\"#/definitions/d" + (i + 1) + "\"}";
      defs.append("\"d").append(i).append("\":{\"allOf\":[").append(next).append(',').append(next).append("]},");
    }
    return defs.append("\"d").append(levels).append("\":{\"type\":\"string\"}}}").toString();
  }

  @Test
  void combinatorsThatMultiplyPerLevelAreRefused() {
    SchemaProblem p = onlyProblem(doublingLevels(20));
    assertEquals("ref-expansion", p.rule());
    assertTrue(p.message().startsWith("more than 10000 schemas"), p.message());
    assertCompiles(doublingLevels(10)); // about 3,000 applications per value: allowed
  }

  @Test
  void nestingBeyondTheLimitIsRefusedBeforeParsing() {
    int levels = SchemaCompiler.MAX_NESTING / 2;
    String deepButFine = "{\"items\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    assertCompiles(deepButFine);
    String tooDeep = "{\"items\":".repeat(100_000) + "{}" + "}".repeat(100_000);
    assertEquals(new SchemaProblem("", "json", "the schema nests objects and arrays deeper than 256 levels"),
        onlyProblem(tooDeep));
    assertEquals("json", onlyProblem("[".repeat(300)).rule());
  }

  @Test
  void patternsRe2jCannotRunAreRefused() {
    SchemaProblem lookahead = onlyProblem(json("{'properties':{'a':{'type':'string','pattern':'^(?=a)a+$'}}}"));
    assertEquals("/properties/a/pattern", lookahead.pointer());
    assertEquals("pattern", lookahead.rule());
    assertTrue(lookahead.message().startsWith("pattern uses a feature RE2J does not support (backreferences, "
        + "lookaround); Sluice runs patterns in linear time"), lookahead.message());
    SchemaProblem backreference = onlyProblem(json("{'patternProperties':{'^(a)\\\\1$':{}}}"));
    assertEquals("/patternProperties/^(a)\\1$", backreference.pointer());
    assertEquals("pattern", backreference.rule());
    assertTrue(backreference.message().startsWith("pattern uses a feature RE2J does not support"));
    List<SchemaProblem> broken = refused(json("{'pattern':'('}"));
    assertEquals(new SchemaProblem("/pattern", "pattern",
        "pattern is not a valid regular expression (error parsing regexp: missing closing ): `(`)"), broken.get(0));
  }

  @Test
  void aCatastrophicPatternIsBounded() {
    String schemaJson = json("{'type':'string','pattern':'^(a+)+$'}");
    assertCompiles(schemaJson);
    var version = SchemaVersion.compile("t", 1, schemaJson);
    String evil = "\"" + "a".repeat(1 << 20) + "!\"";
    // A hang guard, not a speed assertion: a backtracking engine would not finish this in years.
    Validation result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> version.validate(evil));
    assertEquals("pattern", assertInstanceOf(Validation.Invalid.class, result).violations().get(0).keyword());
    assertInstanceOf(Validation.Valid.class, version.validate("\"aaaa\""));
  }

  @Test
  void aPatternWhoseProgramIsTooLargeIsRefusedNamingTheLimit() {
    SchemaProblem p = onlyProblem(json(
        "{'type':'object','properties':{'s':{'type':'string','pattern':'^(a{1,1000}){1,1000}$'}}}"));
    assertEquals("/properties/s/pattern", p.pointer());
    assertEquals("pattern-size", p.rule());
    assertTrue(p.message().startsWith("pattern compiles to 2002003 matching instructions; at most 10000 are allowed"),
        p.message());
    SchemaProblem key = onlyProblem(json("{'patternProperties':{'^(x{1,200}){1,200}$':{}}}"));
    assertEquals("/patternProperties/^(x{1,200}){1,200}$", key.pointer());
    assertEquals("pattern-size", key.rule());
  }

  @Test
  void thePatternSizeLimitIsInclusive() {
    // (a{1,70}){1,70}: inner 139, capture 141, outer 141 + 69 * 142 = 9,939; with ^, $, fail and match: 9,943.
    assertEquals(9_943, PatternProgram.of("^(a{1,70}){1,70}$").instructions());
    assertCompiles(json("{'type':'string','pattern':'^(a{1,70}){1,70}$'}"));
    assertEquals("pattern-size", onlyProblem(json("{'type':'string','pattern':'^(a{1,71}){1,71}$'}")).rule());
  }

  @Test
  void aPatternNestedTooDeepIsRefusedBeforeRe2jRecursesIntoIt() {
    String deep = "(".repeat(200_000) + "a" + ")".repeat(200_000);
    // The meta-schema's format check (java.util.regex) refuses it too; the size rule names the limit.
    SchemaProblem p = refused("{\"type\":\"string\",\"pattern\":\"" + deep + "\"}").get(0);
    assertEquals("pattern-size", p.rule());
    assertEquals("pattern nests groups 200000 deep; at most 100 levels are allowed", p.message());
    assertCompiles("{\"type\":\"string\",\"pattern\":\"" + "(".repeat(100) + "a" + ")".repeat(100) + "\"}");
  }

  @Test
  void compilingNotesWhetherTheSchemaUsesUniqueItems() {
    var with = assertInstanceOf(SchemaCompiler.Compiled.class, SchemaCompiler.compile(json(
        "{'properties':{'tags':{'$ref':'#/definitions/set'}},'definitions':{'set':{'uniqueItems':true}}}")));
    assertTrue(with.usesUniqueItems());
    var without = assertInstanceOf(SchemaCompiler.Compiled.class, SchemaCompiler.compile(json(
        "{'properties':{'tags':{'type':'array','uniqueItems':false},'uniqueItems':{'type':'string'}}}")));
    assertEquals(false, without.usesUniqueItems());
  }
}
