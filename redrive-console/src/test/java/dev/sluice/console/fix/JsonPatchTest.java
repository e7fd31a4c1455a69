package dev.sluice.console.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6902 appendix A, one test per example, plus the console's own rules (error pointers, writable paths). */
class JsonPatchTest {

  private static JsonPatch patch(String json) {
    JsonPatch.Parsed parsed = JsonPatch.parse(Json.decodeValue(json), p -> true, "");
    return assertInstanceOf(JsonPatch.Ok.class, parsed, () -> parsed.toString()).patch();
  }

  private static void applies(String doc, String patch, String expected) {
    JsonPatch.Outcome outcome = patch(patch).apply(Json.decodeValue(doc));
    JsonPatch.Applied applied = assertInstanceOf(JsonPatch.Applied.class, outcome, outcome::toString);
    assertTrue(JsonPatch.jsonEquals(Json.decodeValue(expected), applied.result()),
        () -> "expected " + expected + " got " + Json.encode(applied.result()));
  }

  private static JsonPatch.NotApplicable fails(String doc, String patch) {
    JsonPatch.Outcome outcome = patch(patch).apply(Json.decodeValue(doc));
    return assertInstanceOf(JsonPatch.NotApplicable.class, outcome, outcome::toString);
  }

  @Test
  void a1AddingAnObjectMember() {
    applies("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]",
        "{\"baz\":\"qux\",\"foo\":\"bar\"}");
  }

  @Test
  void a2AddingAnArrayElement() {
    applies("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
        "{\"foo\":[\"bar\",\"qux\",\"baz\"]}");
  }

  @Test
  void a3RemovingAnObjectMember() {
    applies("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]", "{\"foo\":\"bar\"}");
  }

  @Test
  void a4RemovingAnArrayElement() {
    applies("{\"foo\":[\"bar\",\"qux\",\"baz\"]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]",
        "{\"foo\":[\"bar\",\"baz\"]}");
  }

  @Test
  void a5ReplacingAValue() {
    applies("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
        "{\"baz\":\"boo\",\"foo\":\"bar\"}");
  }

  @Test
  void a6MovingAValue() {
    applies("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
        "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
        "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}");
  }

  @Test
  void a7MovingAnArrayElement() {
    applies("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}", "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
        "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}");
  }

  @Test
  void a8TestingAValueSuccess() {
    applies("{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
        "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
        "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}");
  }

  @Test
  void a9TestingAValueError() {
    JsonPatch.NotApplicable n = fails("{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]");
    assertEquals(0, n.index());
    assertTrue(n.reason().contains("test failed"), n.reason());
  }

  @Test
  void a10AddingANestedMemberObject() {
    applies("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]",
        "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}");
  }

  @Test
  void a11IgnoringUnrecognizedElements() {
    applies("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"xyz\":123}]",
        "{\"foo\":\"bar\",\"baz\":\"qux\"}");
  }

  @Test
  void a12AddingToANonexistentTarget() {
    fails("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]");
  }

  @Test
  void a14TildeEscapeOrdering() {
    applies("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]", "{\"/\":9,\"~1\":10}");
    applies("{\"/\":9,\"~1\":10}", "[{\"op\":\"replace\",\"path\":\"/~1\",\"value\":1}]", "{\"/\":1,\"~1\":10}");
  }

  @Test
  void a15ComparingStringsAndNumbers() {
    fails("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":\"10\"}]");
  }

  @Test
  void a16AddingAnArrayValue() {
    applies("{\"foo\":[\"bar\"]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]",
        "{\"foo\":[\"bar\",[\"abc\",\"def\"]]}");
  }

  @Test
  void copyAndNumbersEqualByValueAndObjectsRegardlessOfOrder() {
    applies("{\"a\":{\"x\":1,\"y\":[1.0]}}",
        "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"},"
            + "{\"op\":\"test\",\"path\":\"/b\",\"value\":{\"y\":[1],\"x\":1.0}}]",
        "{\"a\":{\"x\":1,\"y\":[1.0]},\"b\":{\"x\":1,\"y\":[1.0]}}");
  }

  @Test
  void aFailingOperationLeavesTheWholePatchNotApplicableAndTheInputUntouched() {
    JsonObject doc = new JsonObject().put("a", 1);
    JsonPatch.Outcome outcome = patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2},"
        + "{\"op\":\"remove\",\"path\":\"/missing\"}]").apply(doc);
    assertEquals(1, assertInstanceOf(JsonPatch.NotApplicable.class, outcome).index());
    assertEquals(new JsonObject().put("a", 1), doc);
  }

  @Test
  void applyingOneValueTwiceSharesNothing() {
    JsonPatch p = patch("[{\"op\":\"add\",\"path\":\"/v\",\"value\":{\"n\":[]}}]");
    JsonObject first = (JsonObject) ((JsonPatch.Applied) p.apply(new JsonObject())).result();
    first.getJsonObject("v").getJsonArray("n").add(1);
    JsonObject second = (JsonObject) ((JsonPatch.Applied) p.apply(new JsonObject())).result();
    assertEquals(0, second.getJsonObject("v").getJsonArray("n").size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"a\":[1]}| [{\"op\":\"add\",\"path\":\"/a/2\",\"value\":0}]",
      "{\"a\":[1]}| [{\"op\":\"add\",\"path\":\"/a/01\",\"value\":0}]",
      "{\"a\":[1]}| [{\"op\":\"remove\",\"path\":\"/a/1\"}]",
      "{\"a\":[1]}| [{\"op\":\"replace\",\"path\":\"/b\",\"value\":0}]",
      "{\"a\":[1]}| [{\"op\":\"move\",\"from\":\"/b\",\"path\":\"/c\"}]",
      "{\"a\":1}| [{\"op\":\"add\",\"path\":\"/a/b\",\"value\":0}]",
  })
  void notApplicable(String doc, String patch) {
    fails(doc, patch);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}| ''",
      "[1]| /0",
      "[{\"path\":\"/a\"}]| /0/op",
      "[{\"op\":\"frobnicate\",\"path\":\"/a\"}]| /0/op",
      "[{\"op\":\"remove\"}]| /0/path",
      "[{\"op\":\"remove\",\"path\":\"a\"}]| /0/path",
      "[{\"op\":\"remove\",\"path\":\"/a~2\"}]| /0/path",
      "[{\"op\":\"test\",\"path\":\"/a\",\"value\":1},{\"op\":\"add\",\"path\":\"/a\"}]| /1/value",
      "[{\"op\":\"copy\",\"path\":\"/a\"}]| /0/from",
      "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b\"}]| /0/from",
  })
  void badDocumentsPointAtTheProblem(String patch, String pointer) {
    JsonPatch.Parsed parsed = JsonPatch.parse(Json.decodeValue(patch), p -> true, "");
    assertEquals(pointer, assertInstanceOf(JsonPatch.Refused.class, parsed).error().pointer());
  }

  @Test
  void onlyWritablePathsMayChangeButTestAndCopyMayReadAnything() {
    JsonPointer data = JsonPointer.parse("/data").orElseThrow();
    String rule = "only /data may change";
    JsonPatch.Parsed ok = JsonPatch.parse(Json.decodeValue("[{\"op\":\"test\",\"path\":\"/type\",\"value\":\"t\"},"
        + "{\"op\":\"copy\",\"from\":\"/key\",\"path\":\"/data/id\"}]"), p -> p.startsWith(data), rule);
    assertInstanceOf(JsonPatch.Ok.class, ok);
    JsonPatch.Parsed refused = JsonPatch.parse(Json.decodeValue("[{\"op\":\"replace\",\"path\":\"/type\",\"value\":1}]"),
        p -> p.startsWith(data), rule);
    assertEquals(new JsonPatch.DocumentError("/0/path", rule), assertInstanceOf(JsonPatch.Refused.class, refused).error());
    JsonPatch.Parsed move = JsonPatch.parse(Json.decodeValue("[{\"op\":\"move\",\"from\":\"/key\",\"path\":\"/data/k\"}]"),
        p -> p.startsWith(data), rule);
    assertEquals("/0/from", assertInstanceOf(JsonPatch.Refused.class, move).error().pointer());
  }

  @Test
  void pointersRoundTripWithEscapes() {
    JsonPointer p = JsonPointer.parse("/a~1b/~0c/").orElseThrow();
    assertEquals(List.of("a/b", "~c", ""), p.tokens());
    assertEquals("/a~1b/~0c/", p.toString());
    assertEquals(Optional.empty(), JsonPointer.parse("/~"));
    assertEquals(JsonPointer.ROOT, JsonPointer.parse("").orElseThrow());
  }

  @Test
  void replacingTheRootWorks() {
    applies("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]", "[1]");
    assertInstanceOf(JsonArray.class, ((JsonPatch.Applied) patch("[{\"op\":\"add\",\"path\":\"\",\"value\":[]}]")
        .apply(new JsonObject())).result());
  }
}
