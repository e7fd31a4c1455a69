package dev.sluice.schemas.marks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkRulesTest {
  /** As the registry reads patterns: RE2J's find. */
  static final MemberPatterns RE2J = (pattern, name) -> com.google.re2j.Pattern.compile(pattern).matcher(name).find();

  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static SensitiveMarks marks(String singleQuoted) {
    return SensitiveMarks.of(new JSONObject(json(singleQuoted)), RE2J);
  }

  /** A root that names /id as the subject, with {@code properties} (single-quoted JSON members) added. */
  static String withSubject(String properties) {
    return root(properties, "");
  }

  /** As {@link #withSubject}, with more members of the root ({@code extra}, single-quoted JSON members). */
  static String root(String properties, String extra) {
    return "{'x-data-subject':'/id','type':'object','required':['id'],'properties':{'id':{'type':'string'},"
        + properties + "}" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  private static List<MarkProblem> problems(String singleQuoted) {
    return MarkRules.problems(marks(singleQuoted));
  }

  /** "pointer rule" of each problem. */
  private static List<String> found(String singleQuoted) {
    return problems(singleQuoted).stream().map(p -> p.pointer() + " " + p.rule()).toList();
  }

  private static String resource(String type) throws IOException {
    try (InputStream in = MarkRulesTest.class.getResourceAsStream("/sluice/schemas/" + type + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "retail.photographer.registered", "retail.product.created", "retail.product.photographed"})
  void theDemoSchemasAreAccepted(String type) throws IOException {
    assertEquals(List.of(), MarkRules.problems(SensitiveMarks.of(new JSONObject(resource(type)), RE2J)));
  }

  @Test
  void thePhotographerMarksNameAndEmailForItsId() throws IOException {
    SensitiveMarks marks = SensitiveMarks.of(resource("retail.photographer.registered"));
    assertEquals(List.of("/email", "/name"), marks.paths());
    assertEquals(Optional.of("/id"), marks.subject());
    assertTrue(marks.any());
    assertFalse(SensitiveMarks.of(resource("retail.product.created")).any());
  }

  @Test
  void aSchemaWithoutMarksHasNoProblemAndMarksNothing() {
    SensitiveMarks marks = marks("{'properties':{'a':{'anyOf':[{'type':'string'}]}}}");
    assertFalse(marks.any());
    assertEquals(List.of(), marks.paths());
    assertEquals(List.of(), MarkRules.problems(marks));
  }

  @Test
  void everyAllowedPathToAMarkIsAccepted() {
    String schema = root("'email':{'x-sensitive':true},"
        + "'cards':{'type':'array','items':{'properties':{'number':{'x-sensitive':true}}}},"
        + "'pair':{'items':[{'type':'string'},{'x-sensitive':true}]},"
        + "'notes':{'properties':{'public':{'type':'string'}},'additionalProperties':{'x-sensitive':true}},"
        + "'phone':{'allOf':[{'x-sensitive':true}]},"
        + "'home':{'$ref':'#/definitions/address'}",
        "'definitions':{'address':{'properties':{'street':{'x-sensitive':true},'city':{'type':'string'}}}}");
    assertEquals(List.of(), found(schema));
    assertEquals(List.of("/cards/*/number", "/email", "/home/street", "/notes/*", "/pair/1", "/phone"),
        marks(schema).paths());
  }

  @Test
  void aMarkWithoutASubjectIsRefused() {
    assertEquals(List.of(" data-subject-missing"), found("{'properties':{'email':{'x-sensitive':true}}}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope", "id", "", "/bad~2", "/owner/id"})
  void aSubjectThatIsNotADeclaredMemberIsRefused(String subject) {
    String schema = "{'x-data-subject':'" + subject + "','required':['id','owner'],'properties':{'id':{'type':"
        + "'string'},'owner':{'type':'object'},'email':{'x-sensitive':true}}}";
    assertEquals(List.of("/x-data-subject data-subject-undeclared"), found(schema));
  }

  @Test
  void aSubjectOfAnotherKindThanAStringIsRefused() {
    assertEquals(List.of("/x-data-subject data-subject-undeclared"),
        found("{'x-data-subject':3,'required':['id'],'properties':{'id':{'type':'string'},"
            + "'email':{'x-sensitive':true}}}"));
  }

  @Test
  void aSubjectThatMayBeAbsentIsRefusedAtEachLevel() {
    assertEquals(List.of("/x-data-subject data-subject-not-required"), found("{'x-data-subject':'/id',"
        + "'properties':{'id':{'type':'string'},'email':{'x-sensitive':true}}}"));
    assertEquals(List.of("/x-data-subject data-subject-not-required"), found("{'x-data-subject':'/owner/id',"
        + "'required':['owner'],'properties':{'owner':{'properties':{'id':{'type':'integer'}}},"
        + "'email':{'x-sensitive':true}}}"));
  }

  @Test
  void aNestedSubjectDeclaredThroughRefAndAllOfIsAccepted() {
    assertEquals(List.of(), found("{'x-data-subject':'/owner/id','required':['owner'],'properties':{"
        + "'owner':{'$ref':'#/definitions/owner'},'email':{'x-sensitive':true}},'definitions':{'owner':{"
        + "'allOf':[{'required':['id']},{'properties':{'id':{'type':['string','integer']}}}]}}}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'type':'number'}", "{}", "{'type':['string','null']}", "{'type':'object'}"})
  void aSubjectThatIsNotAStringOrAnIntegerIsRefused(String idSchema) {
    assertEquals(List.of("/x-data-subject data-subject-type"), found("{'x-data-subject':'/id','required':['id'],"
        + "'properties':{'id':" + idSchema + ",'email':{'x-sensitive':true}}}"));
  }

  @Test
  void aMarkedSubjectOrOneInsideAMarkedValueIsRefused() {
    assertEquals(List.of("/x-data-subject data-subject-marked"), found("{'x-data-subject':'/id','required':['id'],"
        + "'properties':{'id':{'type':'string','x-sensitive':true}}}"));
    assertEquals(List.of("/x-data-subject data-subject-marked"), found("{'x-data-subject':'/card/holder',"
        + "'required':['card'],'properties':{'card':{'x-sensitive':true,'required':['holder'],"
        + "'properties':{'holder':{'type':'string'}}}}}"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'anyOf':[{'properties':{'email':{'x-sensitive':true}}}] | /anyOf/0/properties/email/x-sensitive",
      "'oneOf':[{'properties':{'email':{'x-sensitive':true}}}] | /oneOf/0/properties/email/x-sensitive",
      "'if':{'properties':{'email':{'x-sensitive':true}}} | /if/properties/email/x-sensitive",
      "'then':{'properties':{'email':{'x-sensitive':true}}} | /then/properties/email/x-sensitive",
      "'else':{'properties':{'email':{'x-sensitive':true}}} | /else/properties/email/x-sensitive",
      "'patternProperties':{'^e':{'x-sensitive':true}} | /patternProperties/^e/x-sensitive",
      "'dependencies':{'id':{'properties':{'email':{'x-sensitive':true}}}} "
          + "| /dependencies/id/properties/email/x-sensitive",
      "'properties':{'tags':{'contains':{'x-sensitive':true}}} | /properties/tags/contains/x-sensitive",
      "'properties':{'pair':{'items':[{}],'additionalItems':{'x-sensitive':true}}} "
          + "| /properties/pair/additionalItems/x-sensitive",
      "'propertyNames':{'x-sensitive':true} | /propertyNames/x-sensitive",
      "'properties':{'n':{'not':{'x-sensitive':true}}} | /properties/n/not/x-sensitive"})
  void aMarkReachedThroughAnyOtherKeywordIsRefused(String members, String pointer) {
    // The subject is declared through allOf, so that the case may have a root `properties` of its own.
    List<MarkProblem> problems = problems("{'x-data-subject':'/id','required':['id'],"
        + "'allOf':[{'properties':{'id':{'type':'string'}}}]," + members + "}");
    assertTrue(problems.stream().anyMatch(p -> p.pointer().equals(pointer) && p.rule().equals(MarkRules.PLACEMENT)),
        problems::toString);
  }

  @Test
  void aMarkReachedBothWaysIsRefused() {
    assertEquals(List.of("/definitions/email/x-sensitive mark-placement"), found(root(
        "'email':{'$ref':'#/definitions/email'}", "'anyOf':[{'properties':{'backup':{'$ref':'#/definitions/email'}}}],"
            + "'definitions':{'email':{'x-sensitive':true}}")));
  }

  @Test
  void aMarkInADefinitionNothingUsesIsHarmless() {
    assertEquals(List.of(), found("{'properties':{'a':{'type':'string'}},'definitions':{'x':{'x-sensitive':true}}}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"enum", "const"})
  void aValueAroundAMarkComparedWholeIsRefused(String keyword) {
    String value = keyword.equals("enum") ? "[{'number':'1'}]" : "{'number':'1'}";
    assertEquals(List.of("/properties/card/" + keyword + " mark-placement"), found(withSubject(
        "'card':{'" + keyword + "':" + value + ",'properties':{'number':{'x-sensitive':true}}}")));
  }

  @Test
  void uniqueItemsOverMarkedItemsIsRefused() {
    assertEquals(List.of("/properties/emails/uniqueItems mark-placement"), found(withSubject(
        "'emails':{'type':'array','uniqueItems':true,'items':{'x-sensitive':true}}")));
    assertEquals(List.of(), found(withSubject(
        "'emails':{'type':'array','uniqueItems':true,'items':{'type':'string'}},'email':{'x-sensitive':true}")));
  }

  @Test
  void anotherSubschemaInspectingAMarkedValueWithoutMarkingItIsRefused() {
    assertEquals(List.of("/properties/email/allOf/1 mark-placement"), found(withSubject(
        "'email':{'allOf':[{'x-sensitive':true},{'format':'email'}]}")));
    assertEquals(List.of("/allOf/0/properties/email mark-placement"), found(root(
        "'email':{'x-sensitive':true}", "'allOf':[{'properties':{'email':{'maxLength':9}}}]")));
    assertEquals(List.of("/anyOf/0/properties/email mark-placement"), found(root(
        "'email':{'x-sensitive':true}", "'anyOf':[{'properties':{'email':{'maxLength':9}}}]")));
    // A wrapper that only applies the marked subschema, and annotations, say nothing about the value.
    assertEquals(List.of(), found(withSubject("'email':{'description':'d','x-note':1,"
        + "'allOf':[{'x-sensitive':true,'format':'email'}]}")));
  }

  @Test
  void patternPropertiesBesideAMarkAreRefusedOnlyWhereTheyMayApply() {
    assertEquals(List.of(), found(root("'email':{'x-sensitive':true}",
        "'patternProperties':{'^x-':{'type':'string'}}")));
    assertEquals(List.of("/patternProperties/^e mark-placement"), found(root("'email':{'x-sensitive':true}",
        "'patternProperties':{'^e':{'type':'string'}}")));
    assertEquals(List.of("/properties/notes/patternProperties mark-placement"), found(withSubject(
        "'notes':{'patternProperties':{'^x-':{}},'additionalProperties':{'x-sensitive':true}}")));
  }

  @Test
  void aRefIntoAMarkedSubschemaIsRefused() {
    assertEquals(List.of("/properties/street/$ref mark-placement"), found(withSubject(
        "'home':{'x-sensitive':true,'properties':{'street':{'type':'string'}}},"
            + "'street':{'$ref':'#/properties/home/properties/street'}")));
  }

  @Test
  void aMarkReachedThroughAnIdsUriIsFoundAndARefByUriIntoItIsRefused() {
    String byUri = "{'$id':'http://example.com/person.json','x-data-subject':'/id','type':'object',"
        + "'required':['id'],'properties':{'id':{'type':'string'},'email':{'$ref':'email.json'},"
        + "'backup':{'$ref':'urn:example:email'}},'definitions':{'e':{'$id':'email.json','type':'string',"
        + "'x-sensitive':true},'u':{'$id':'urn:example:email','type':'string','x-sensitive':true}}}";
    assertEquals(List.of(), found(byUri));
    assertEquals(List.of("/backup", "/email"), marks(byUri).paths());
    assertEquals(List.of("/properties/street/$ref mark-placement"), found("{'$id':'http://example.com/p.json',"
        + "'x-data-subject':'/id','type':'object','required':['id'],'properties':{'id':{'type':'string'},"
        + "'home':{'$id':'home.json','x-sensitive':true,'properties':{'street':{'type':'string'}}},"
        + "'street':{'$ref':'home.json#/properties/street'}}}"));
  }

  @Test
  void aRecursiveSchemaWithAMarkIsAcceptedAndListedWhereItRecurs() {
    String tree = "{'x-data-subject':'/id','required':['id'],'properties':{'id':{'type':'integer'},"
        + "'secret':{'x-sensitive':true},'children':{'type':'array','items':{'$ref':'#'}}}}";
    assertEquals(List.of(), found(tree));
    assertEquals(List.of("/children/*/secret", "/secret"), marks(tree).paths());
  }

  @Test
  void marksAmongTooManyPlacesAreRefused() {
    // Each property leads to a mark, so each is a place to follow: one more than the bound.
    StringBuilder properties = new StringBuilder();
    for (int i = 0; i <= InstanceGraph.MAX_NODES; i++) {
      properties.append(i == 0 ? "" : ",").append("'p").append(i).append("':{'properties':{'s':{'x-sensitive':true}}}");
    }
    List<MarkProblem> problems = problems(withSubject(properties.toString()));
    assertTrue(problems.stream().anyMatch(p -> p.pointer().isEmpty() && p.rule().equals(MarkRules.PLACEMENT)
        && p.message().contains(Integer.toString(InstanceGraph.MAX_NODES))), problems::toString);
  }

  @Test
  void aMarkThatIsNotTheBooleanTrueMarksNothing() {
    assertFalse(marks("{'properties':{'a':{'x-sensitive':'true'}}}").any());
  }

  @Test
  void markCoveringFindsTheMarkOfAValueAndOfAnythingInsideIt() {
    SensitiveMarks marks = marks(withSubject("'card':{'x-sensitive':true},'emails':{'items':{'x-sensitive':true}}"));
    assertEquals(Optional.of("/properties/card"), marks.markCovering("/card"));
    assertEquals(Optional.of("/properties/card"), marks.markCovering("/card/number"));
    assertEquals(Optional.of("/properties/emails/items"), marks.markCovering("/emails/0"));
    assertEquals(Optional.empty(), marks.markCovering("/emails"));
    assertEquals(Optional.empty(), marks.markCovering("/id"));
    assertEquals(Optional.empty(), marks.markCovering("not a pointer"));
  }
}
