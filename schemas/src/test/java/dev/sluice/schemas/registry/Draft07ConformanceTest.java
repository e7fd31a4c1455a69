package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases from the official JSON-Schema-Test-Suite (tests/draft7: type, enum, const, uniqueItems, the min/max keywords,
 * boolean_schema, properties, items, allOf/anyOf/oneOf/not, contains, propertyNames, dependencies, if-then-else, ref,
 * id, refRemote), written inline with the suite's descriptions: each schema must register, and each instance must get
 * the suite's verdict. Remote references are the exception: the registry refuses them (it never fetches), so those
 * cases check the refusal instead.
 */
class Draft07ConformanceTest {

  /** One suite test: a schema (single quotes for legibility) and its instances with the expected verdicts. */
  private record Group(String description, String schema, List<Instance> instances) {}

  private record Instance(String data, boolean valid) {}

  private static Instance valid(String data) {
    return new Instance(data, true);
  }

  private static Instance invalid(String data) {
    return new Instance(data, false);
  }

  private static Arguments group(String description, String schema, Instance... instances) {
    return Arguments.of(new Group(description, schema, List.of(instances)));
  }

  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** Every instance's verdict, so one run shows every disagreement rather than the first. */
  private static void assertSuiteVerdicts(Group group) {
    var compiled = SchemaCompiler.compile(json(group.schema()));
    assertInstanceOf(SchemaCompiler.Compiled.class, compiled, () -> group.description() + ": " + compiled);
    SchemaVersion version = SchemaVersion.compile("t", 1, json(group.schema()));
    List<String> wrong = new ArrayList<>();
    for (Instance i : group.instances()) {
      Validation v = version.validate(json(i.data()));
      if ((v instanceof Validation.Valid) != i.valid()) {
        wrong.add(i.data() + " should be " + (i.valid() ? "valid" : "invalid") + ", was " + v);
      }
    }
    assertEquals(List.of(), wrong, group.description());
  }

  // ---- an integer written with a zero fraction is an integer

  static Stream<Arguments> numbers() {
    return Stream.of(
        group("type.json: integer type matches integers", "{'type':'integer'}",
            valid("1"), valid("1.0"), invalid("1.1"), invalid("'foo'"), invalid("'1'"), valid("-0"), valid("-0.0"),
            valid("1e2"), valid("12345678910111213141516171819202122232425262728293031.0"), invalid("1e-2")),
        group("type.json: number type matches numbers", "{'type':'number'}", valid("1"), valid("1.0"), valid("1.1")),
        group("enum.json: enum with 0 does not match false", "{'enum':[0]}",
            invalid("false"), valid("0"), valid("0.0")),
        group("enum.json: enum with [0] does not match [false]", "{'enum':[[0]]}",
            invalid("[false]"), valid("[0]"), valid("[0.0]")),
        group("enum.json: enum with 1 does not match true", "{'enum':[1]}", invalid("true"), valid("1"), valid("1.0")),
        group("enum.json: enum with [1] does not match [true]", "{'enum':[[1]]}",
            invalid("[true]"), valid("[1]"), valid("[1.0]")),
        group("enum.json: enum with [false] does not match [0]", "{'enum':[[false]]}",
            valid("[false]"), invalid("[0]"), invalid("[0.0]")),
        group("const.json: const with {\"a\": false} does not match {\"a\": 0}", "{'const':{'a':false}}",
            valid("{'a':false}"), invalid("{'a':0}"), invalid("{'a':0.0}")),
        group("const.json: const with -2.0 matches integer", "{'const':-2.0}",
            valid("-2"), invalid("2"), valid("-2.0"), invalid("2.0"), invalid("-2.00001")),
        group("const.json: float and integers are equal up to 64-bit representation limits",
            "{'const':9007199254740992}", valid("9007199254740992"), invalid("9007199254740991"),
            valid("9007199254740992.0"), invalid("9007199254740991.0")),
        group("(not in the suite) a decimal with trailing zeros in an array equals the same decimal",
            "{'enum':[[1.5]]}", valid("[1.50]"), invalid("[1.05]")),
        group("uniqueItems.json: numbers are unique if mathematically unequal", "{'uniqueItems':true}",
            invalid("[1.0,1.00,1]"), valid("[0,false]"), valid("[[1],[true]]"), invalid("[{'a':1},{'a':1.0}]")),
        group("maxItems.json: maxItems validation with a decimal", "{'maxItems':2.0}",
            valid("[1]"), invalid("[1,2,3]")),
        group("minItems.json: minItems validation with a decimal", "{'minItems':1.0}", valid("[1,2]"), invalid("[]")),
        group("maxLength.json: maxLength validation with a decimal", "{'maxLength':2.0}",
            valid("'f'"), invalid("'foo'")),
        group("minLength.json: minLength validation with a decimal", "{'minLength':2.0}",
            valid("'foo'"), invalid("'f'")),
        group("maxProperties.json: maxProperties validation with a decimal", "{'maxProperties':2.0}",
            valid("{'foo':1}"), invalid("{'foo':1,'bar':2,'baz':3}")),
        group("minProperties.json: minProperties validation with a decimal", "{'minProperties':1.0}",
            valid("{'foo':1,'bar':2}"), invalid("{}")),
        group("(not in the suite) multipleOf of integers written with fractions", "{'type':'integer','multipleOf':2}",
            valid("4.0"), invalid("3.0")));
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void anIntegerWrittenWithAZeroFractionIsAnInteger(Group group) {
    assertSuiteVerdicts(group);
  }

  @Test
  void theDataComesBackAsWrittenSoAPartitionKeyDoesNotChange() {
    SchemaVersion version = SchemaVersion.compile("t", 1, json("{'properties':{'id':{'type':'integer'}}}"));
    Validation.Valid valid = assertInstanceOf(Validation.Valid.class, version.validate("{\"id\":7.0}"));
    assertEquals(java.util.Optional.of("7.0"), SchemaRegistry.partitionKey(valid.parsed(), "/id"));
  }

  // ---- boolean schemas

  static Stream<Arguments> booleanSubschemas() {
    return Stream.of(
        group("properties.json: properties with boolean schema", "{'properties':{'foo':true,'bar':false}}",
            valid("{}"), valid("{'foo':1}"), invalid("{'bar':2}"), invalid("{'foo':1,'bar':2}")),
        group("items.json: items with boolean schema (true)", "{'items':true}", valid("[1,'foo',true]"), valid("[]")),
        group("items.json: items with boolean schema (false)", "{'items':false}",
            invalid("[1,'foo',true]"), valid("[]")),
        group("items.json: items with boolean schemas", "{'items':[true,false]}",
            valid("[1]"), invalid("[1,'foo']"), valid("[]")),
        group("additionalItems.json: additionalItems as false", "{'items':[{}],'additionalItems':false}",
            valid("[1]"), invalid("[1,2]")),
        group("allOf.json: allOf with boolean schemas, all true", "{'allOf':[true,true]}", valid("'foo'")),
        group("allOf.json: allOf with boolean schemas, some false", "{'allOf':[true,false]}", invalid("'foo'")),
        group("anyOf.json: anyOf with boolean schemas, some true", "{'anyOf':[true,false]}", valid("'foo'")),
        group("anyOf.json: anyOf with boolean schemas, all false", "{'anyOf':[false,false]}", invalid("'foo'")),
        group("oneOf.json: oneOf with boolean schemas, one true", "{'oneOf':[true,false,false]}", valid("'foo'")),
        group("oneOf.json: oneOf with boolean schemas, more than one true", "{'oneOf':[true,true,false]}",
            invalid("'foo'")),
        group("not.json: not with boolean schema true", "{'not':true}", invalid("'foo'")),
        group("not.json: not with boolean schema false", "{'not':false}", valid("'foo'")),
        group("contains.json: contains keyword with boolean schema false", "{'contains':false}",
            invalid("['foo']"), invalid("[]"), valid("'contains does not apply to strings'")),
        group("propertyNames.json: propertyNames with boolean schema false", "{'propertyNames':false}",
            invalid("{'foo':1}"), valid("{}")),
        group("dependencies.json: dependencies with boolean subschemas", "{'dependencies':{'foo':true,'bar':false}}",
            valid("{'foo':1}"), invalid("{'bar':2}"), invalid("{'foo':1,'bar':2}"), valid("{}")),
        group("if-then-else.json: if with boolean schema true", "{'if':true,'then':{'const':'then'},"
            + "'else':{'const':'else'}}", valid("'then'"), invalid("'else'")),
        group("if-then-else.json: if with boolean schema false", "{'if':false,'then':{'const':'then'},"
            + "'else':{'const':'else'}}", invalid("'then'"), valid("'else'")),
        group("patternProperties.json: patternProperties with boolean schemas",
            "{'patternProperties':{'f.*':true,'b.*':false}}", valid("{'foo':1}"), invalid("{'bar':2}"), valid("{}")),
        group("ref.json: $ref to boolean schema true", "{'allOf':[{'$ref':'#/definitions/bool'}],"
            + "'definitions':{'bool':true}}", valid("'foo'")),
        group("ref.json: $ref to boolean schema false", "{'allOf':[{'$ref':'#/definitions/bool'}],"
            + "'definitions':{'bool':false}}", invalid("'foo'")));
  }

  @ParameterizedTest
  @MethodSource("booleanSubschemas")
  void booleanSchemasAreValidSubschemas(Group group) {
    assertSuiteVerdicts(group);
  }

  @Test
  void aBooleanAsAWholeTypesSchemaIsRefusedSayingSo() {
    for (String whole : List.of("true", "false", " false\n")) {
      SchemaCompiler.Refused refused = assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile(whole));
      assertEquals(1, refused.problems().size(), refused::toString);
      SchemaProblem p = refused.problems().get(0);
      assertEquals("", p.pointer());
      assertEquals("boolean-schema", p.rule());
      assertTrue(p.message().contains("valid draft-07 schema") && p.message().contains("not as a whole type's schema")
          && p.message().contains("must be a JSON object"), p.message());
    }
    assertEquals("json", assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile("true true"))
        .problems().get(0).rule());
  }

  // ---- $id and $ref within the document

  static Stream<Arguments> localIdentifiers() {
    return Stream.of(
        group("ref.json: Recursive references between schemas", "{'$id':'http://localhost:1234/tree',"
            + "'type':'object','properties':{'meta':{'type':'string'},'nodes':{'type':'array','items':{'$ref':'node'}}},"
            + "'required':['meta','nodes'],'definitions':{'node':{'$id':'http://localhost:1234/node','type':'object',"
            + "'properties':{'value':{'type':'number'},'subtree':{'$ref':'tree'}},'required':['value']}}}",
            valid("{'meta':'root','nodes':[{'value':1,'subtree':{'meta':'child','nodes':[{'value':1.1},"
                + "{'value':1.2}]}},{'value':2,'subtree':{'meta':'child','nodes':[{'value':2.1},{'value':2.2}]}}]}"),
            invalid("{'meta':'root','nodes':[{'value':1,'subtree':{'meta':'child','nodes':[{'value':'string is "
                + "invalid'},{'value':1.2}]}},{'value':2,'subtree':{'meta':'child','nodes':[{'value':2.1}]}}]}")),
        group("ref.json: Location-independent identifier", "{'allOf':[{'$ref':'#foo'}],"
            + "'definitions':{'A':{'$id':'#foo','type':'integer'}}}", valid("1"), invalid("'a'")),
        group("ref.json: Location-independent identifier with absolute URI",
            "{'allOf':[{'$ref':'http://localhost:1234/bar#foo'}],"
                + "'definitions':{'A':{'$id':'http://localhost:1234/bar#foo','type':'integer'}}}",
            valid("1"), invalid("'a'")),
        group("ref.json: Location-independent identifier with base URI change in subschema",
            "{'$id':'http://localhost:1234/root','allOf':[{'$ref':'http://localhost:1234/nested.json#foo'}],"
                + "'definitions':{'A':{'$id':'nested.json','definitions':{'B':{'$id':'#foo','type':'integer'}}}}}",
            valid("1"), invalid("'a'")),
        group("ref.json: $ref prevents a sibling $id from changing the base uri",
            "{'$id':'http://localhost:1234/sibling_id/base/','definitions':{'foo':{'$id':"
                + "'http://localhost:1234/sibling_id/foo.json','type':'string'},'base_foo':{'$id':'foo.json',"
                + "'type':'number'}},'allOf':[{'$id':'http://localhost:1234/sibling_id/','$ref':'foo.json'}]}",
            invalid("'a'"), valid("1")),
        group("ref.json: $id must be resolved against nearest parent, not just immediate parent",
            "{'$id':'http://example.com/a.json','definitions':{'x':{'$id':'http://example.com/b/c.json','not':{"
                + "'definitions':{'y':{'$id':'d.json','type':'number'}}}}},"
                + "'allOf':[{'$ref':'http://example.com/b/d.json'}]}",
            valid("1"), invalid("'a'")),
        group("ref.json: simple URN base URI with $ref via the URN",
            "{'$id':'urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed','minimum':30,"
                + "'properties':{'foo':{'$ref':'urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed'}}}",
            valid("{'foo':37}"), invalid("{'foo':12}")),
        group("ref.json: simple URN base URI with JSON pointer", "{'$id':'urn:uuid:deadbeef-1234-00ff-ff00-4321feebdaed',"
            + "'properties':{'foo':{'$ref':'#/definitions/bar'}},'definitions':{'bar':{'type':'string'}}}",
            valid("{'foo':'bar'}"), invalid("{'foo':12}")),
        group("ref.json: URN base URI with NSS", "{'$id':'urn:example:1/406/47452/2',"
            + "'properties':{'foo':{'$ref':'#/definitions/bar'}},'definitions':{'bar':{'type':'string'}}}",
            valid("{'foo':'bar'}"), invalid("{'foo':12}")),
        group("ref.json: URN base URI with URN and JSON pointer ref",
            "{'$id':'urn:uuid:deadbeef-1234-0000-0000-4321feebdaed','properties':{'foo':{'$ref':"
                + "'urn:uuid:deadbeef-1234-0000-0000-4321feebdaed#/definitions/bar'}},"
                + "'definitions':{'bar':{'type':'string'}}}",
            valid("{'foo':'bar'}"), invalid("{'foo':12}")),
        group("ref.json: URN base URI with URN and anchor ref",
            "{'$id':'urn:uuid:deadbeef-1234-ff00-00ff-4321feebdaed','properties':{'foo':{'$ref':"
                + "'urn:uuid:deadbeef-1234-ff00-00ff-4321feebdaed#something'}},"
                + "'definitions':{'bar':{'$id':'#something','type':'string'}}}",
            valid("{'foo':'bar'}"), invalid("{'foo':12}")),
        group("ref.json: $ref to $id with a URN in definitions (URN ids are location-independent)",
            "{'$id':'urn:uuid:deadbeef-1234-0000-0000-4321feebdaed','properties':{'foo':{'$ref':"
                + "'urn:uuid:deadbeef-4321-0000-0000-1234feebdaed'}},'definitions':{'bar':{'$id':"
                + "'urn:uuid:deadbeef-4321-0000-0000-1234feebdaed','type':'string'}}}",
            valid("{'foo':'bar'}"), invalid("{'foo':12}")),
        group("ref.json: refs with relative uris and defs",
            "{'$id':'http://example.com/schema-relative-uri-defs1.json','properties':{'foo':{'$id':"
                + "'schema-relative-uri-defs2.json','definitions':{'inner':{'properties':{'bar':{'type':'string'}}}},"
                + "'allOf':[{'$ref':'#/definitions/inner'}]}},'allOf':[{'$ref':'schema-relative-uri-defs2.json'}]}",
            invalid("{'foo':{'bar':1},'bar':'a'}"), invalid("{'foo':{'bar':'a'},'bar':1}"),
            valid("{'foo':{'bar':'a'},'bar':'a'}")),
        group("ref.json: relative refs with absolute uris and defs",
            "{'$id':'http://example.com/schema-refs-absolute-uris-defs1.json','properties':{'foo':{'$id':"
                + "'http://example.com/schema-refs-absolute-uris-defs2.json','definitions':{'inner':{'properties':"
                + "{'bar':{'type':'string'}}}},'allOf':[{'$ref':'#/definitions/inner'}]}},"
                + "'allOf':[{'$ref':'schema-refs-absolute-uris-defs2.json'}]}",
            invalid("{'foo':{'bar':1},'bar':'a'}"), invalid("{'foo':{'bar':'a'},'bar':1}"),
            valid("{'foo':{'bar':'a'},'bar':'a'}")),
        group("ref.json: $id with file URI still resolves pointers - *nix", "{'$id':'file:///folder/file.json',"
            + "'definitions':{'foo':{'type':'number'}},'allOf':[{'$ref':'#/definitions/foo'}]}",
            valid("1"), invalid("'a'")),
        group("ref.json: empty tokens in $ref json-pointer (an empty token inside the pointer)",
            "{'definitions':{'':{'definitions':{'x':{'type':'number'}}}},'allOf':[{'$ref':'#/definitions//definitions/x'}]}",
            valid("1"), invalid("'a'")),
        group("ref.json: naive replacement of $ref with its destination is not correct",
            "{'definitions':{'a_string':{'type':'string'}},'enum':[{'$ref':'#/definitions/a_string'}]}",
            invalid("'this is a string'"), valid("{'$ref':'#/definitions/a_string'}")),
        group("id.json: id inside an enum is not a real identifier", "{'definitions':{'id_in_enum':{'enum':[{'$id':"
            + "'https://localhost:1234/id/my_identifier.json','type':'null'}]},'real_id_in_schema':{'$id':"
            + "'https://localhost:1234/id/my_identifier.json','type':'string'},'zzz_id_in_const':{'const':{'$id':"
            + "'https://localhost:1234/id/my_identifier.json','type':'null'}}},'anyOf':[{'$ref':"
            + "'#/definitions/id_in_enum'},{'$ref':'https://localhost:1234/id/my_identifier.json'}]}",
            valid("{'$id':'https://localhost:1234/id/my_identifier.json','type':'null'}"),
            valid("'a string to match #/definitions/id_in_enum'"), invalid("1")),
        group("(not in the suite) a relative $id without a root $id scopes '#/...' to its subschema",
            "{'properties':{'p':{'$id':'sub/','properties':{'q':{'$ref':'#/definitions/x'}},"
                + "'definitions':{'x':{'type':'string'}}}}}",
            valid("{'p':{'q':'a'}}"), invalid("{'p':{'q':1}}")),
        group("(not in the suite) member names that need percent-encoding, reached through an $id",
            "{'$id':'urn:x','definitions':{'a b+c%d':{'type':'string'}},'properties':{'p':{'$ref':"
                + "'urn:x#/definitions/a%20b+c%25d'}}}",
            valid("{'p':'s'}"), invalid("{'p':1}")));
  }

  @ParameterizedTest
  @MethodSource("localIdentifiers")
  void idsAndRefsThatResolveInsideTheDocumentWork(Group group) {
    assertSuiteVerdicts(group);
  }

  /** refRemote.json and ref.json cases whose $ref only a fetch could resolve: refused, never fetched. */
  @Test
  void onlyReferencesThatWouldNeedAFetchAreRefusedAndNothingIsOpened() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String host = "http://127.0.0.1:" + server.getLocalPort();
      List<String> remote = List.of(
          // refRemote.json: remote ref
          "{'$ref':'" + host + "/integer.json'}",
          // refRemote.json: fragment within remote ref
          "{'$ref':'" + host + "/subSchemas.json#/integer'}",
          // refRemote.json: base URI change - change folder (the items' ref resolves to .../baseUriChangeFolder/...)
          "{'$id':'" + host + "/scope_change_defs1.json','type':'object','properties':{'list':{'$ref':"
              + "'#/definitions/baz'}},'definitions':{'baz':{'$id':'baseUriChangeFolder/','type':'array',"
              + "'items':{'$ref':'folderInteger.json'}}}}",
          // a relative ref against a root $id on the test server
          "{'$id':'" + host + "/root.json','properties':{'a':{'$ref':'other.json'}}}",
          // a URN no $id of the document declares
          "{'$id':'urn:uuid:deadbeef-1234-0000-0000-4321feebdaed','properties':{'a':{'$ref':'urn:uuid:other'}}}",
          // the $id beside a $ref changes nothing, so 'foo.json' resolves against the test server's root
          "{'$id':'" + host + "/base/','definitions':{'x':{'$id':'" + host + "/elsewhere/foo.json'}},"
              + "'allOf':[{'$id':'" + host + "/elsewhere/','$ref':'foo.json'}]}",
          // an $id inside enum names nothing, so a $ref to it would need a fetch
          "{'definitions':{'e':{'enum':[{'$id':'" + host + "/id.json'}]}},'allOf':[{'$ref':'" + host + "/id.json'}]}");
      for (String schema : remote) {
        SchemaCompiler.Refused refused =
            assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile(json(schema)), schema);
        assertEquals(List.of("remote-ref"), refused.problems().stream().map(SchemaProblem::rule).toList(), schema);
        assertTrue(refused.problems().get(0).pointer().endsWith("/$ref"), refused::toString);
      }
      server.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, server::accept, "the compiler connected to the test server");
    }
  }

  /** ref.json "empty tokens in $ref json-pointer" ends in an empty token, which everit drops: refused, not misjudged. */
  @Test
  void aPointerEndingInAnEmptyMemberNameIsRefusedRatherThanMisjudged() {
    SchemaCompiler.Refused refused = assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile(json(
        "{'definitions':{'':{'definitions':{'':{'type':'number'}}}},'allOf':[{'$ref':'#/definitions//definitions/'}]}")));
    assertEquals(List.of("/allOf/0/$ref unresolvable-ref"),
        refused.problems().stream().map(p -> p.pointer() + " " + p.rule()).toList());
  }

  @Test
  void aUriThatTwoSubschemasClaimNamesNeither() {
    SchemaCompiler.Refused refused = assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile(json(
        "{'definitions':{'a':{'$id':'node','type':'string'},'b':{'$id':'node','type':'integer'}},"
            + "'properties':{'p':{'$ref':'node'}}}")));
    assertEquals(List.of(new SchemaProblem("/properties/p/$ref", "unresolvable-ref",
            "$ref `node` names a URI that more than one subschema claims with its $id (#/definitions/a, "
                + "#/definitions/b)")),
        refused.problems());
  }

  @Test
  void anIdThatIsNotAUriReferenceIsRefused() {
    SchemaCompiler.Refused refused = assertInstanceOf(SchemaCompiler.Refused.class,
        SchemaCompiler.compile(json("{'properties':{'p':{'$id':'not a uri','type':'string'}}}")));
    assertTrue(refused.problems().stream().anyMatch(p -> p.pointer().equals("/properties/p/$id")
        && p.rule().equals("draft-07")), refused::toString);
  }

  @Test
  void aCycleThroughIdsIsStillACycle() {
    SchemaCompiler.Refused refused = assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile(json(
        "{'$id':'http://example.com/root.json','definitions':{'a':{'$ref':'b.json'},"
            + "'b':{'$id':'b.json','allOf':[{'$ref':'root.json#/definitions/a'}]}},'allOf':[{'$ref':'b.json'}]}")));
    assertTrue(refused.problems().stream().anyMatch(p -> p.rule().equals("ref-cycle")), refused::toString);
  }
}
