package dev.sluice.schemas.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.registry.Compatibility;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompatibilityCheckerTest {

  /** Test schemas are written with single quotes for legibility. */
  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static List<BreakingChange> narrowings(String writer, String reader) {
    return CompatibilityChecker.narrowings(json(writer), json(reader));
  }

  /** For every rule: a writer, a reader that rejects something the writer accepted, and where that shows. */
  static Stream<Arguments> narrowingChanges() {
    return Stream.of(
        Arguments.of("required-added", "{'properties':{'price':{}}}", "{'properties':{'price':{}},'required':['price']}",
            "/required"),
        Arguments.of("required-added", "{'properties':{'a':{'type':'object','required':['x']}}}",
            "{'properties':{'a':{'type':'object','required':['x','y']}}}", "/properties/a/required"),
        Arguments.of("type-narrowed", "{'properties':{'id':{'type':'string'}}}",
            "{'properties':{'id':{'type':'integer'}}}", "/properties/id/type"),
        Arguments.of("type-narrowed", "{'type':'number'}", "{'type':'integer'}", "/type"),
        Arguments.of("type-narrowed", "{}", "{'type':'object'}", "/type"),
        Arguments.of("type-narrowed", "{'type':['string','null']}", "{'type':'string'}", "/type"),
        Arguments.of("type-narrowed", "{'enum':['a',1]}", "{'type':'string','enum':['a',1]}", "/type"),
        Arguments.of("enum-value-removed", "{'enum':['red','green']}", "{'enum':['red']}", "/enum"),
        Arguments.of("enum-value-removed", "{'type':'boolean'}", "{'enum':[true]}", "/enum"),
        Arguments.of("enum-added", "{'type':'string'}", "{'type':'string','enum':['red']}", "/enum"),
        Arguments.of("const-added", "{'type':'string'}", "{'type':'string','const':'red'}", "/const"),
        Arguments.of("const-changed", "{'const':'red'}", "{'const':'blue'}", "/const"),
        Arguments.of("const-changed", "{'enum':['red','blue']}", "{'const':'red'}", "/const"),
        Arguments.of("additional-properties-closed", "{'type':'object'}",
            "{'type':'object','additionalProperties':false}", "/additionalProperties"),
        Arguments.of("additional-properties-closed", "{'additionalProperties':{'type':'string'}}",
            "{'additionalProperties':false}", "/additionalProperties"),
        Arguments.of("property-removed",
            "{'properties':{'a':{},'legacy':{}},'additionalProperties':false}",
            "{'properties':{'a':{}},'additionalProperties':false}", "/properties/legacy"),
        Arguments.of("accepts-nothing", "{'properties':{'a':{}}}", "{'properties':{'a':false}}", "/properties/a"),
        Arguments.of("minimum-raised", "{'type':'number','minimum':0}", "{'type':'number','minimum':5}", "/minimum"),
        Arguments.of("minimum-raised", "{'type':'number'}", "{'type':'number','minimum':5}", "/minimum"),
        Arguments.of("exclusiveMinimum-raised", "{'type':'number','minimum':0}",
            "{'type':'number','exclusiveMinimum':0}", "/exclusiveMinimum"),
        Arguments.of("exclusiveMinimum-raised", "{'type':'number'}", "{'type':'number','exclusiveMinimum':0}",
            "/exclusiveMinimum"),
        Arguments.of("maximum-lowered", "{'type':'number','maximum':10}", "{'type':'number','maximum':9.5}",
            "/maximum"),
        Arguments.of("exclusiveMaximum-lowered", "{'type':'number','maximum':10}",
            "{'type':'number','exclusiveMaximum':10}", "/exclusiveMaximum"),
        Arguments.of("multipleOf-added", "{'type':'integer'}", "{'type':'integer','multipleOf':2}", "/multipleOf"),
        Arguments.of("multipleOf-changed", "{'type':'integer','multipleOf':2}", "{'type':'integer','multipleOf':3}",
            "/multipleOf"),
        Arguments.of("minLength-raised", "{'type':'string','minLength':1}", "{'type':'string','minLength':2}",
            "/minLength"),
        Arguments.of("maxLength-lowered", "{'type':'string'}", "{'type':'string','maxLength':20}", "/maxLength"),
        Arguments.of("minItems-raised", "{'type':'array'}", "{'type':'array','minItems':1}", "/minItems"),
        Arguments.of("maxItems-lowered", "{'type':'array','maxItems':5}", "{'type':'array','maxItems':4}",
            "/maxItems"),
        Arguments.of("uniqueItems-added", "{'type':'array'}", "{'type':'array','uniqueItems':true}", "/uniqueItems"),
        Arguments.of("minProperties-raised", "{'type':'object'}", "{'type':'object','minProperties':1}",
            "/minProperties"),
        Arguments.of("maxProperties-lowered", "{'type':'object','maxProperties':3}",
            "{'type':'object','maxProperties':2}", "/maxProperties"),
        Arguments.of("pattern-added", "{'type':'string'}", "{'type':'string','pattern':'^[a-z]+$'}", "/pattern"),
        Arguments.of("pattern-changed", "{'type':'string','pattern':'^[a-z]+$'}",
            "{'type':'string','pattern':'^[a-f]+$'}", "/pattern"),
        Arguments.of("format-added", "{'type':'string'}", "{'type':'string','format':'email'}", "/format"),
        Arguments.of("format-changed", "{'type':'string','format':'uri'}", "{'type':'string','format':'email'}",
            "/format"),
        Arguments.of("unsupported-change", "{'properties':{'x':{'oneOf':[{'type':'string'},{'type':'integer'}]}}}",
            "{'properties':{'x':{'oneOf':[{'type':'string'},{'type':'number'}]}}}", "/properties/x/oneOf"),
        Arguments.of("unsupported-change", "{}", "{'not':{'type':'null'}}", "/not"),
        Arguments.of("unsupported-change", "{'patternProperties':{'^x-':{}},'additionalProperties':false}",
            "{'additionalProperties':false}", "/patternProperties"),
        // Recursion: into items, additionalProperties schemas, and through $ref on either side.
        Arguments.of("type-narrowed", "{'type':'array','items':{'type':'number'}}",
            "{'type':'array','items':{'type':'integer'}}", "/items/type"),
        Arguments.of("type-narrowed", "{'additionalProperties':{'type':['string','number']}}",
            "{'additionalProperties':{'type':'string'}}", "/additionalProperties/type"),
        Arguments.of("type-narrowed", "{'properties':{'extra':{'type':'number'}},'additionalProperties':false}",
            "{'additionalProperties':{'type':'string'}}", "/additionalProperties/type"),
        Arguments.of("maxLength-lowered", "{'additionalProperties':{'type':'string'}}",
            "{'properties':{'name':{'type':'string','maxLength':3}}}", "/properties/name/maxLength"),
        Arguments.of("required-added",
            "{'definitions':{'address':{'type':'object'}},'properties':{'home':{'$ref':'#/definitions/address'}}}",
            "{'definitions':{'address':{'type':'object','required':['street']}},"
                + "'properties':{'home':{'$ref':'#/definitions/address'}}}",
            "/definitions/address/required"),
        Arguments.of("minLength-raised", "{'properties':{'id':{'type':'string'}}}",
            "{'$defs':{'id':{'type':'string','minLength':1}},'properties':{'id':{'$ref':'#/$defs/id'}}}",
            "/$defs/id/minLength"),
        Arguments.of("type-narrowed", "{'properties':{'next':{'$ref':'#'}},'type':['object','null']}",
            "{'properties':{'next':{'$ref':'#'}},'type':'object'}", "/type"),
        Arguments.of("unsupported-change",
            "{'definitions':{'a':{'type':'string'}},'anyOf':[{'$ref':'#/definitions/a'},{'type':'null'}]}",
            "{'definitions':{'a':{'type':'string','minLength':3}},'anyOf':[{'$ref':'#/definitions/a'},"
                + "{'type':'null'}]}", "/anyOf"));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @MethodSource("narrowingChanges")
  void aNarrowingIsReportedWhereItIsInTheReader(String rule, String writer, String reader, String pointer) {
    List<BreakingChange> changes = narrowings(writer, reader);
    assertEquals(1, changes.size(), changes::toString);
    assertEquals(rule, changes.get(0).rule(), changes::toString);
    assertEquals(pointer, changes.get(0).pointer(), changes::toString);
  }

  /** For one change: a writer, a reader, the rule, and the data paths the change is about. */
  static Stream<Arguments> dataPaths() {
    return Stream.of(
        Arguments.of("the root value", "{'type':'number'}", "{'type':'integer'}", "type-narrowed", List.of("")),
        Arguments.of("the property that became required, not its object",
            "{'properties':{'a':{'type':'object','required':['x']}}}",
            "{'properties':{'a':{'type':'object','required':['x','y']}}}", "required-added", List.of("/a/y")),
        Arguments.of("every item", "{'type':'array','items':{'type':'number'}}",
            "{'type':'array','items':{'type':'integer'}}", "type-narrowed", List.of("/*")),
        Arguments.of("a member of every item", "{'properties':{'items':{'type':'array','items':{'properties':"
            + "{'sku':{'type':'string'}}}}}}", "{'properties':{'items':{'type':'array','items':{'properties':"
            + "{'sku':{'type':'string','maxLength':8}}}}}}", "maxLength-lowered", List.of("/items/*/sku")),
        Arguments.of("undeclared members", "{'properties':{'address':{'type':'object'}}}",
            "{'properties':{'address':{'type':'object','additionalProperties':false}}}",
            "additional-properties-closed", List.of("/address/*")),
        Arguments.of("members under additionalProperties", "{'additionalProperties':{'type':['string','number']}}",
            "{'additionalProperties':{'type':'string'}}", "type-narrowed", List.of("/*")),
        Arguments.of("a removed property", "{'properties':{'a':{},'legacy':{}},'additionalProperties':false}",
            "{'properties':{'a':{}},'additionalProperties':false}", "property-removed", List.of("/legacy")),
        Arguments.of("a property that accepts nothing", "{'properties':{'a':{}}}", "{'properties':{'a':false}}",
            "accepts-nothing", List.of("/a")),
        Arguments.of("a keyword not reasoned about", "{'properties':{'x':{}}}",
            "{'properties':{'x':{'oneOf':[{'type':'string'}]}}}", "unsupported-change", List.of("/x")),
        Arguments.of("each tuple position, then the items after them",
            "{'items':[{'type':'number'}],'additionalItems':{'type':'number'}}", "{'items':{'type':'integer'}}",
            "type-narrowed", List.of("/0", "/*")),
        Arguments.of("every place a shared definition is used",
            "{'definitions':{'address':{'type':'object'}},'properties':{'home':{'$ref':'#/definitions/address'},"
                + "'work':{'$ref':'#/definitions/address'}}}",
            "{'definitions':{'address':{'type':'object','required':['street']}},'properties':{'home':"
                + "{'$ref':'#/definitions/address'},'work':{'$ref':'#/definitions/address'}}}",
            "required-added", List.of("/home/street", "/work/street")),
        Arguments.of("a member name escaped as in a pointer", "{'properties':{'a/b':{'type':'number'}}}",
            "{'properties':{'a/b':{'type':'integer'}}}", "type-narrowed", List.of("/a~1b")),
        Arguments.of("the shallowest place of a recursive definition",
            "{'definitions':{'node':{'type':'object','properties':{'children':{'type':'array',"
                + "'items':{'$ref':'#/definitions/node'}}}}},'$ref':'#/definitions/node'}",
            "{'definitions':{'node':{'type':'object','required':['name'],'properties':{'children':"
                + "{'type':'array','items':{'$ref':'#/definitions/node'}}}}},'$ref':'#/definitions/node'}",
            "required-added", List.of("/name")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dataPaths")
  void aNarrowingNamesTheDataPathsItIsAbout(String name, String writer, String reader, String rule,
      List<String> paths) {
    List<BreakingChange> changes = narrowings(writer, reader);
    assertEquals(1, changes.size(), changes::toString);
    assertEquals(rule, changes.get(0).rule(), changes::toString);
    assertEquals(paths, changes.get(0).paths(), changes::toString);
    assertEquals(paths.get(0), changes.get(0).path());
  }

  @Test
  void definitionsThatUseEachOtherTwiceOverAreWalkedWithinABudget() {
    // d0 uses d1 twice, d1 uses d2 twice, ... : 2^24 places reach d24. Naming them all would never end.
    StringBuilder defs = new StringBuilder();
    StringBuilder narrowed = new StringBuilder();
    int depth = 24;
    for (int i = 0; i < depth; i++) {
      String pair = "{'type':'object','properties':{'a':{'$ref':'#/definitions/d" + (i + 1) + "'},"
          + "'b':{'$ref':'#/definitions/d" + (i + 1) + "'}}}";
      defs.append("'d").append(i).append("':").append(pair).append(',');
      narrowed.append("'d").append(i).append("':").append(pair).append(',');
    }
    defs.append("'d").append(depth).append("':{'type':'number'}");
    narrowed.append("'d").append(depth).append("':{'type':'integer'}");
    String writer = "{'definitions':{" + defs + "},'$ref':'#/definitions/d0'}";
    String reader = "{'definitions':{" + narrowed + "},'$ref':'#/definitions/d0'}";
    List<BreakingChange> changes = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> narrowings(writer, reader));
    assertEquals(1, changes.size(), "the change is listed once");
    BreakingChange c = changes.get(0);
    assertEquals("type-narrowed", c.rule());
    assertTrue(c.paths().size() > 1 && c.paths().size() <= Narrowing.MAX_REVISITS + 1, c.paths().size() + " paths");
    assertEquals("/a".repeat(depth), c.path(), "the first place in walk order");
  }

  @Test
  void aChangeMetInSeveralVersionsOrDirectionsIsListedOnceWithEveryPath() {
    String v1 = json("{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'string'}}}");
    String v2 = json("{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'string','maxLength':9}}}");
    String candidate = json("{'type':'object','properties':{'a':{'type':'string','maxLength':5},"
        + "'b':{'type':'string','maxLength':5}}}");
    List<BreakingChange> changes = CompatibilityChecker.check(Compatibility.BACKWARD_TRANSITIVE, List.of(v1, v2),
        candidate);
    assertEquals(List.of("/properties/a/maxLength maxLength-lowered", "/properties/b/maxLength maxLength-lowered",
        "/properties/b/maxLength maxLength-lowered"), rules(changes), "the messages differ: from none, from 9");
    assertEquals(List.of(List.of("/a"), List.of("/b"), List.of("/b")),
        changes.stream().map(BreakingChange::paths).toList());
  }

  /** Widening, equivalent rewrites and changes that cannot affect the values the writer produces. */
  static Stream<Arguments> compatibleChanges() {
    return Stream.of(
        Arguments.of("required-removed", "{'required':['price']}", "{}"),
        Arguments.of("required-kept", "{'required':['a','b']}", "{'required':['b','a']}"),
        Arguments.of("type-widened", "{'type':'integer'}", "{'type':'number'}"),
        Arguments.of("type-widened-to-union", "{'type':'string'}", "{'type':['string','null']}"),
        Arguments.of("type-removed", "{'type':'string'}", "{}"),
        Arguments.of("integral-enum-under-integer", "{'type':'number','enum':[1,2]}", "{'type':'integer'}"),
        Arguments.of("enum-value-added", "{'enum':['red']}", "{'enum':['red','green']}"),
        Arguments.of("enum-removed", "{'enum':['red']}", "{'type':'string'}"),
        Arguments.of("enum-equal-numbers", "{'enum':[1]}", "{'enum':[1.0]}"),
        Arguments.of("boolean-as-enum", "{'type':'boolean'}", "{'enum':[false,true]}"),
        Arguments.of("const-to-enum", "{'const':'red'}", "{'enum':['red','blue']}"),
        Arguments.of("const-removed", "{'const':'red'}", "{}"),
        Arguments.of("additional-properties-opened", "{'additionalProperties':false}", "{}"),
        Arguments.of("closed-writer-closed-reader", "{'properties':{'a':{}},'additionalProperties':false}",
            "{'properties':{'a':{},'b':{}},'additionalProperties':false}"),
        Arguments.of("property-removed-open-reader", "{'properties':{'legacy':{'type':'string'}}}", "{}"),
        Arguments.of("property-added-writer-closed",
            "{'properties':{'a':{}},'additionalProperties':false}",
            "{'properties':{'a':{},'b':{'type':'string'}}}"),
        Arguments.of("false-writer", "{'properties':{'a':false}}", "{'properties':{'a':{'type':'string'}}}"),
        Arguments.of("minimum-lowered", "{'minimum':5}", "{'minimum':0}"),
        Arguments.of("minimum-to-exclusive-lower", "{'minimum':5}", "{'exclusiveMinimum':4}"),
        Arguments.of("integer-equivalent-bounds", "{'type':'integer','exclusiveMinimum':0}",
            "{'type':'integer','minimum':1}"),
        Arguments.of("enum-within-new-bound", "{'enum':[3,4]}", "{'minimum':3,'exclusiveMaximum':5}"),
        Arguments.of("maximum-raised", "{'maximum':10}", "{'maximum':11}"),
        Arguments.of("exclusive-maximum-removed", "{'exclusiveMaximum':10}", "{}"),
        Arguments.of("bound-on-other-type", "{'type':'string'}", "{'type':'string','minimum':3,'minItems':2}"),
        Arguments.of("multipleOf-divides", "{'type':'number','multipleOf':4}", "{'type':'number','multipleOf':2}"),
        Arguments.of("multipleOf-for-integers", "{'type':'integer'}", "{'type':'integer','multipleOf':0.5}"),
        Arguments.of("multipleOf-removed", "{'multipleOf':3}", "{}"),
        Arguments.of("minLength-lowered", "{'minLength':3}", "{'minLength':1}"),
        Arguments.of("maxLength-raised", "{'maxLength':3}", "{'maxLength':30}"),
        Arguments.of("strings-within-new-lengths", "{'enum':['ab','abc']}", "{'minLength':2,'maxLength':3}"),
        Arguments.of("minItems-lowered", "{'minItems':3}", "{'minItems':0}"),
        Arguments.of("maxItems-removed", "{'maxItems':3}", "{}"),
        Arguments.of("uniqueItems-removed", "{'uniqueItems':true}", "{'uniqueItems':false}"),
        Arguments.of("minProperties-lowered", "{'minProperties':2}", "{'minProperties':1}"),
        Arguments.of("maxProperties-raised", "{'maxProperties':2}", "{'maxProperties':3}"),
        Arguments.of("pattern-removed", "{'pattern':'^a'}", "{}"),
        Arguments.of("pattern-kept", "{'type':'string','pattern':'^a'}", "{'type':'string','pattern':'^a'}"),
        Arguments.of("strings-match-new-pattern", "{'enum':['abc','abd']}", "{'pattern':'^ab'}"),
        Arguments.of("format-removed", "{'format':'email'}", "{}"),
        Arguments.of("format-kept", "{'type':'string','format':'email'}", "{'type':'string','format':'email'}"),
        Arguments.of("const-kept", "{'const':'red'}", "{'const':'red'}"),
        Arguments.of("enum-narrowed-to-listed-values", "{'enum':['a','b']}", "{'enum':['a','b','c'],'type':'string'}"),
        Arguments.of("false-reader-for-a-false-writer", "{'properties':{'a':false}}", "{'properties':{'a':false}}"),
        Arguments.of("oneOf-removed", "{'oneOf':[{'type':'string'},{'type':'integer'}]}", "{}"),
        Arguments.of("oneOf-unchanged", "{'oneOf':[{'type':'string'},{'type':'integer'}]}",
            "{'oneOf':[{'type':'string'},{'type':'integer'}]}"),
        Arguments.of("annotations-changed", "{'title':'a','description':'x','examples':[1],'default':1}",
            "{'title':'b','description':'y','examples':[2],'default':2,'$comment':'z'}"),
        Arguments.of("items-widened", "{'items':{'type':'integer'}}", "{'items':{'type':'number'}}"),
        Arguments.of("tuple-items-meet-reader-items", "{'items':[{'type':'integer'}],'additionalItems':false}",
            "{'items':{'type':'number'}}"),
        Arguments.of("ref-renamed", "{'definitions':{'a':{'type':'string'}},'properties':{'p':{'$ref':'#/definitions/a'}}}",
            "{'definitions':{'b':{'type':'string'}},'properties':{'p':{'$ref':'#/definitions/b'}}}"),
        Arguments.of("ref-inlined", "{'definitions':{'a':{'type':'string'}},'properties':{'p':{'$ref':'#/definitions/a'}}}",
            "{'properties':{'p':{'type':['string','null']}}}"),
        Arguments.of("definitions-unused-narrowed", "{'definitions':{'a':{'type':'string'}}}",
            "{'definitions':{'a':{'type':'integer'}}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compatibleChanges")
  void aWideningOrEquivalentChangeIsNotReported(String name, String writer, String reader) {
    assertEquals(List.of(), narrowings(writer, reader));
  }

  @Test
  void theIssueExamplesReadAsDocumented() {
    assertEquals(List.of(new BreakingChange("/required", "required-added", "property `price` became required",
            "/price")),
        narrowings("{'properties':{'price':{'type':'number'}}}",
            "{'properties':{'price':{'type':'number'}},'required':['price']}"));
    assertEquals(List.of(new BreakingChange("/properties/id/type", "type-narrowed",
            "type of `/properties/id` narrowed from string to integer", "/id")),
        narrowings("{'properties':{'id':{'type':'string'}}}", "{'properties':{'id':{'type':'integer'}}}"));
    assertEquals(List.of(new BreakingChange("/properties/color/enum", "enum-value-removed",
            "enum value \"green\" removed from `/properties/color`", "/color")),
        narrowings("{'properties':{'color':{'enum':['red','green']}}}",
            "{'properties':{'color':{'enum':['red']}}}"));
    assertEquals(List.of(new BreakingChange("/additionalProperties", "additional-properties-closed",
            "additionalProperties closed", "/*")),
        narrowings("{'properties':{'a':{}}}", "{'properties':{'a':{}},'additionalProperties':false}"));
    assertEquals(List.of(new BreakingChange("/properties/x/oneOf", "unsupported-change",
            "`/properties/x/oneOf` changed; Sluice cannot prove it compatible", "/x")),
        narrowings("{'properties':{'x':{}}}", "{'properties':{'x':{'oneOf':[{'type':'string'}]}}}"));
  }

  @Test
  void otherMessagesNameTheKeywordAndBothValues() {
    assertEquals("`minimum` of `/properties/price` raised from 0 to 5",
        narrowings("{'properties':{'price':{'type':'number','minimum':0}}}",
            "{'properties':{'price':{'type':'number','minimum':5}}}").get(0).message());
    assertEquals("bound of the root schema tightened from `minimum` 0 to `exclusiveMinimum` 0",
        narrowings("{'minimum':0}", "{'exclusiveMinimum':0}").get(0).message());
    assertEquals("`maxLength` 20 added to `/properties/name`",
        narrowings("{'properties':{'name':{'type':'string'}}}",
            "{'properties':{'name':{'type':'string','maxLength':20}}}").get(0).message());
    assertEquals("property `street` of `/properties/address` became required",
        narrowings("{'properties':{'address':{'type':'object'}}}",
            "{'properties':{'address':{'type':'object','required':['street']}}}").get(0).message());
    assertEquals("property `legacy` removed while additionalProperties is false",
        narrowings("{'properties':{'legacy':{}},'additionalProperties':false}",
            "{'additionalProperties':false}").get(0).message());
  }

  @Test
  void everyNarrowingIsListedInWalkOrder() {
    List<BreakingChange> changes = narrowings(
        "{'type':'object','properties':{'b':{'type':'string'},'a':{'type':'number'}}}",
        "{'type':'object','required':['a'],'properties':{'b':{'type':'string','minLength':1},'a':{'type':'integer'}},"
            + "'additionalProperties':false}");
    assertEquals(List.of("required-added", "type-narrowed", "minLength-raised", "additional-properties-closed"),
        changes.stream().map(BreakingChange::rule).toList());
    assertEquals(List.of("/required", "/properties/a/type", "/properties/b/minLength", "/additionalProperties"),
        changes.stream().map(BreakingChange::pointer).toList());
    assertEquals(changes, narrowings(
        "{'properties':{'a':{'type':'number'},'b':{'type':'string'}},'type':'object'}",
        "{'additionalProperties':false,'properties':{'a':{'type':'integer'},'b':{'minLength':1,'type':'string'}},"
            + "'required':['a'],'type':'object'}"), "member order in the documents does not matter");
  }

  @Test
  void booleanSubschemasAreComparedAsAnythingAndNothing() {
    assertEquals(List.of(), narrowings("{'properties':{'a':false},'additionalProperties':false}",
        "{'properties':{'a':true},'additionalProperties':true}"), "widening only");
    // Tuple items are not reasoned about: a change there is reported as unproven, booleans or not.
    assertEquals(List.of("/items unsupported-change"), rules(narrowings("{'items':[true,false]}",
        "{'items':[true,true]}")));
    assertEquals(List.of("/properties/a accepts-nothing"), rules(narrowings(
        "{'properties':{'a':true}}", "{'properties':{'a':false}}")));
    assertEquals(List.of("/properties/a accepts-nothing"), rules(narrowings(
        "{'properties':{'a':{'$ref':'#/definitions/t'}},'definitions':{'t':true}}",
        "{'properties':{'a':{'$ref':'#/definitions/f'}},'definitions':{'f':false}}")).stream()
        .map(r -> r.replace("/definitions/f", "/properties/a")).toList());
    assertEquals(List.of(), narrowings("{'allOf':[true],'not':false}", "{'allOf':[true],'not':false}"));
  }

  @Test
  void refsThroughLocalIdsAreFollowedOnBothSides() {
    String writer = "{'$id':'http://example.com/p.json','properties':{'n':{'$ref':'name.json'}},"
        + "'definitions':{'x':{'$id':'name.json','type':'string','maxLength':10}}}";
    assertEquals(List.of(), narrowings(writer, writer));
    assertEquals(List.of("/definitions/x/maxLength maxLength-lowered"), rules(narrowings(writer,
        writer.replace("'maxLength':10", "'maxLength':5"))));
    // The same schema reached by a pointer on one side and by a URN on the other is the same schema.
    assertEquals(List.of(), narrowings(
        "{'properties':{'n':{'$ref':'#/definitions/x'}},'definitions':{'x':{'type':'string'}}}",
        "{'$id':'urn:example:p','properties':{'n':{'$ref':'urn:example:name'}},"
            + "'definitions':{'x':{'$id':'urn:example:name','type':'string'}}}"));
    // Numbers are compared by value: maxItems 2.0 is 2.
    assertEquals(List.of(), narrowings("{'type':'array','maxItems':2}", "{'type':'array','maxItems':2.0}"));
  }

  private static List<String> rules(List<BreakingChange> changes) {
    return changes.stream().map(c -> c.pointer() + " " + c.rule()).toList();
  }

  @Test
  void recursiveSchemasAreComparedWithoutLooping() {
    String tree = "{'definitions':{'node':{'type':'object','properties':{'children':{'type':'array',"
        + "'items':{'$ref':'#/definitions/node'}}}}},'$ref':'#/definitions/node'}";
    String narrowedTree = "{'definitions':{'node':{'type':'object','required':['name'],'properties':{'children':"
        + "{'type':'array','items':{'$ref':'#/definitions/node'}}}}},'$ref':'#/definitions/node'}";
    List<BreakingChange> changes = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> narrowings(tree, narrowedTree));
    assertEquals(List.of(new BreakingChange("/definitions/node/required", "required-added",
        "property `name` of `/definitions/node` became required", "/name")), changes);
    assertEquals(List.of(), narrowings(tree, tree));
    assertEquals(List.of(), narrowings(narrowedTree, tree));
  }

  // ---- levels

  private static final String V1 = json("{'type':'object','properties':{'id':{'type':'string'}}}");
  private static final String V2 = json("{'type':'object','properties':{'id':{'type':'string'},"
      + "'price':{'type':'number'}},'required':['price']}");
  private static final String V3 = json("{'type':'object','properties':{'id':{'type':'string'},"
      + "'price':{'type':'number'}}}");

  @Test
  void backwardComparesTheCandidateAsReaderOfTheLatestOnly() {
    // V1 -> V2 added a required property; V3 drops that requirement again. Against V2 alone that widens.
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.BACKWARD, List.of(V1, V2), V3));
    // V1 is open: a V1 writer may have sent any `price`, so V2 both requires it and narrows its type.
    List<BreakingChange> againstV1 = CompatibilityChecker.check(Compatibility.BACKWARD, List.of(V1), V2);
    assertEquals(List.of(
            new BreakingChange("/required", "required-added", "property `price` became required", "/price"),
            new BreakingChange("/properties/price/type", "type-narrowed",
                "type of `/properties/price` narrowed from any to number", "/price")),
        againstV1);
  }

  @Test
  void addingAPropertyIsBackwardCompatibleOnlyForAClosedObject() {
    String open = json("{'type':'object','properties':{'id':{'type':'string'}}}");
    String openPlus = json("{'type':'object','properties':{'id':{'type':'string'},'note':{'type':'string'}}}");
    String closed = json("{'type':'object','properties':{'id':{'type':'string'}},'additionalProperties':false}");
    String closedPlus = json("{'type':'object','properties':{'id':{'type':'string'},'note':{'type':'string'}},"
        + "'additionalProperties':false}");
    assertEquals(List.of("type-narrowed"),
        CompatibilityChecker.check(Compatibility.BACKWARD, List.of(open), openPlus).stream()
            .map(BreakingChange::rule).toList());
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.FORWARD, List.of(open), openPlus));
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.BACKWARD, List.of(closed), closedPlus));
    assertEquals(List.of("property-removed"),
        CompatibilityChecker.check(Compatibility.FORWARD, List.of(closed), closedPlus).stream()
            .map(BreakingChange::rule).toList());
  }

  @Test
  void transitiveLevelsCompareWithEveryEarlierVersion() {
    String v4 = json("{'type':'object','properties':{'id':{'type':'integer'},'price':{'type':'number'}}}");
    // v4 narrows id against every version: the non-transitive level reports it once, against the latest.
    assertEquals(1, CompatibilityChecker.check(Compatibility.BACKWARD, List.of(V1, V3), v4).size());
    String strictV2 = json("{'type':'object','properties':{'id':{'type':'string','maxLength':10}}}");
    String v3 = json("{'type':'object','properties':{'id':{'type':'string','maxLength':10}},"
        + "'additionalProperties':false}");
    // v3 only narrows against v1 (id had no maxLength there; v2 already limited it, and neither closed the object).
    List<BreakingChange> latestOnly = CompatibilityChecker.check(Compatibility.BACKWARD, List.of(V1, strictV2), v3);
    List<BreakingChange> transitive =
        CompatibilityChecker.check(Compatibility.BACKWARD_TRANSITIVE, List.of(V1, strictV2), v3);
    assertEquals(List.of("additional-properties-closed"), latestOnly.stream().map(BreakingChange::rule).toList());
    assertEquals(List.of("maxLength-lowered", "additional-properties-closed"),
        transitive.stream().map(BreakingChange::rule).toList());
    // FORWARD_TRANSITIVE: every earlier version must read what the candidate writes.
    String wide = json("{'type':'object','properties':{'id':{'type':'string'}}}");
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.FORWARD, List.of(strictV2, v3), v3));
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.FORWARD_TRANSITIVE, List.of(wide, strictV2), v3));
    assertEquals(List.of("maxLength-lowered"), CompatibilityChecker.check(
        Compatibility.FORWARD_TRANSITIVE, List.of(strictV2, wide), wide).stream().map(BreakingChange::rule).toList());
  }

  @Test
  void forwardComparesTheCandidateAsWriterForTheLatest() {
    // Adding a required property is forward compatible (old readers accept it) but not backward.
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.FORWARD, List.of(V1), V2));
    // Removing the requirement is the reverse.
    List<BreakingChange> forward = CompatibilityChecker.check(Compatibility.FORWARD, List.of(V2), V3);
    assertEquals(List.of(new BreakingChange("/required", "required-added", "property `price` became required",
        "/price")), forward);
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.BACKWARD, List.of(V2), V3));
  }

  @Test
  void fullNeedsBothDirections() {
    // V1 -> V2 breaks backward only, V2 -> V3 forward only: FULL refuses both.
    assertEquals(List.of("required-added", "type-narrowed"),
        CompatibilityChecker.check(Compatibility.FULL, List.of(V1), V2).stream().map(BreakingChange::rule).toList());
    assertEquals(List.of("required-added"),
        CompatibilityChecker.check(Compatibility.FULL, List.of(V2), V3).stream().map(BreakingChange::rule).toList());
    String described = json("{'type':'object','description':'ids','properties':{'id':{'type':'string',"
        + "'title':'the id'}}}");
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.FULL, List.of(V1), described));
    String retyped = json("{'type':'object','properties':{'id':{'type':['string','integer']}}}");
    // Widening id is backward compatible, but old readers reject integer ids: FULL reports the forward narrowing.
    List<BreakingChange> full = CompatibilityChecker.check(Compatibility.FULL, List.of(V1), retyped);
    assertEquals(List.of(new BreakingChange("/properties/id/type", "type-narrowed",
        "type of `/properties/id` narrowed from string or integer to string", "/id")), full);
    assertEquals(full, CompatibilityChecker.check(Compatibility.FULL_TRANSITIVE, List.of(V1, V1), retyped));
  }

  @Test
  void noneAndAFirstVersionAllowAnything() {
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.NONE, List.of(V1), json("{'type':'null'}")));
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.FULL_TRANSITIVE, List.of(), V2));
  }

  @Test
  void theShippedSchemasAreCompatibleWithThemselves() {
    String product = json("{'type':'object','required':['id','price'],'properties':{'id':{'type':'string',"
        + "'minLength':1},'price':{'type':'number','exclusiveMinimum':0},'description':{'type':'string'}}}");
    for (Compatibility level : Compatibility.values()) {
      assertTrue(CompatibilityChecker.check(level, List.of(product), product).isEmpty(), level.name());
    }
  }
}
