package dev.sluice.schemas.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.compat.CompatibilityChecker;
import dev.sluice.schemas.registry.Compatibility;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractImpactTest {
  /** Test schemas are written with single quotes for legibility. */
  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static DeclaredReader reader(String group, String... pointers) {
    return new DeclaredReader(group, group + "-team", "#" + group, new TreeSet<>(Arrays.asList(pointers)));
  }

  /** "group pointer rule path" for every touch, in the impact's order. */
  private static List<String> touches(List<AffectedReader> readers) {
    return readers.stream().flatMap(r -> r.reads().stream().flatMap(t -> t.changes().stream()
        .map(c -> r.group() + " " + t.pointer() + " " + c.rule() + " " + c.path()))).toList();
  }

  /** The touches of the declared-field rules only (the narrowing checker may report more around combiners). */
  private static List<String> declaredTouches(List<AffectedReader> readers) {
    return touches(readers).stream().filter(t -> t.contains(" declared-field-")).toList();
  }

  private static ContractImpact levelOnly(List<BreakingChange> changes, DeclaredReader... readers) {
    return ContractImpact.of(Optional.empty(), "{}", changes, List.of(readers));
  }

  private static BreakingChange change(String rule, String path) {
    return new BreakingChange("/x", rule, rule + " at " + path, path);
  }

  // ------------------------------------------------------------------------------------------------ matching

  static Stream<Arguments> matching() {
    return Stream.of(
        Arguments.of("/data/price", "type-narrowed", "/price", true),
        Arguments.of("/data/id", "type-narrowed", "/price", false),
        Arguments.of("/data/pricey", "type-narrowed", "/price", false),
        // A change inside the read touches it, whatever the rule.
        Arguments.of("/data/address", "maxLength-lowered", "/address/street", true),
        Arguments.of("/data/address", "required-added", "/address/street", true),
        // A read inside the change: only when the rule changes the whole value.
        Arguments.of("/data/address/street", "type-narrowed", "/address", true),
        Arguments.of("/data/address/street", "accepts-nothing", "/address", true),
        Arguments.of("/data/address/street", "enum-value-removed", "/address", true),
        Arguments.of("/data/address/street", "const-changed", "/address", true),
        Arguments.of("/data/address/street", "unsupported-change", "/address", true),
        Arguments.of("/data/address/street", "maxProperties-lowered", "/address", false),
        Arguments.of("/data/address/street", "required-added", "/address", false),
        // The whole data is read: every change touches it.
        Arguments.of("/data", "minimum-raised", "/items/*/qty", true),
        Arguments.of("/data/price", "type-narrowed", "", true),
        Arguments.of("/data/price", "minimum-raised", "", false),
        // * matches any token, on either side.
        Arguments.of("/data/items/*/sku", "type-narrowed", "/items/*/sku", true),
        Arguments.of("/data/items/*/sku", "type-narrowed", "/items/0/sku", true),
        Arguments.of("/data/items/1/sku", "type-narrowed", "/items/*/sku", true),
        Arguments.of("/data/items/1/sku", "type-narrowed", "/items/0/sku", false),
        Arguments.of("/data/tags/*", "additional-properties-closed", "/tags/*", true),
        Arguments.of("/data/items/*/sku", "type-narrowed", "/items/*/qty", false),
        // Escaped names compare as names.
        Arguments.of("/data/a~1b", "type-narrowed", "/a~1b", true),
        Arguments.of("/data/a~1b", "type-narrowed", "/a/b", false));
  }

  @ParameterizedTest(name = "{0} vs {1} at {2}: {3}")
  @MethodSource("matching")
  void aChangeTouchesAReadAtOrInsideItAndAboveItWhenItChangesTheWholeValue(String pointer, String rule, String path,
      boolean touched) {
    ContractImpact impact = levelOnly(List.of(change(rule, path)), reader("g", pointer));
    assertEquals(touched ? List.of("g " + pointer + " " + rule + " " + path) : List.of(), touches(impact.affects()));
    assertEquals(List.of(), impact.protectedFieldsBroken(), "no latest version: nothing to protect");
  }

  @Test
  void aChangeAtSeveralPathsTouchesTheReadsOfEach() {
    BreakingChange shared = new BreakingChange("/definitions/address/required", "required-added", "street",
        List.of("/home/street", "/work/street"));
    ContractImpact impact = levelOnly(List.of(shared), reader("home", "/data/home/street"),
        reader("work", "/data/work"), reader("other", "/data/billing/street"));
    assertEquals(List.of("home", "work"), impact.affects().stream().map(AffectedReader::group).toList());
  }

  @Test
  void aChangeWithoutAKnownPathIsAboutTheWholeData() {
    ContractImpact impact = levelOnly(List.of(new BreakingChange("", "data-subject-changed", "subject")),
        reader("all", "/data"), reader("some", "/data/id"));
    assertEquals(List.of("all /data data-subject-changed "), touches(impact.affects()));
  }

  @Test
  void pointersThatAreNotIntoTheDataTouchNothing() {
    ContractImpact impact = levelOnly(List.of(change("type-narrowed", "")),
        new DeclaredReader("g", "", "", new TreeSet<>(List.of("price", "/source", "/datax", "/data~"))));
    assertEquals(List.of(), impact.affects());
  }

  @Test
  void groupsReadsAndChangesAreSortedWhateverTheInputOrder() {
    BreakingChange a = new BreakingChange("/properties/a/type", "type-narrowed", "a", "/a");
    BreakingChange b = new BreakingChange("/required", "required-added", "b", "/a");
    ContractImpact impact = levelOnly(List.of(b, a), reader("zeta", "/data/a", "/data"), reader("alpha", "/data/a"));
    assertEquals(List.of("alpha /data/a type-narrowed /a", "alpha /data/a required-added /a",
        "zeta /data type-narrowed /a", "zeta /data required-added /a",
        "zeta /data/a type-narrowed /a", "zeta /data/a required-added /a"), touches(impact.affects()));
    AffectedReader zeta = impact.affects().get(1);
    assertEquals("zeta-team", zeta.owner());
    assertEquals("#zeta", zeta.contact());
    assertEquals(new TreeSet<>(List.of("required-added", "type-narrowed")), zeta.rules());
  }

  @Test
  void noReadersNoImpact() {
    assertEquals(ContractImpact.NONE, ContractImpact.of(Optional.of("{}"), json("{'type':'null'}"),
        List.of(change("type-narrowed", "")), List.of()));
    assertTrue(ContractImpact.NONE.isEmpty());
  }

  // ------------------------------------------------------------------------------------------------ protected

  private static final String ORDER = json("{'type':'object','required':['id','price'],'properties':{"
      + "'id':{'type':'string'},'price':{'type':'number'},'note':{'type':'string'},"
      + "'address':{'type':'object','required':['street'],'properties':{'street':{'type':'string'},"
      + "'city':{'type':'string'}}},"
      + "'items':{'type':'array','items':{'type':'object','properties':{'sku':{'type':'string'},"
      + "'qty':{'type':'integer'}}}}}}");

  private static ContractImpact protect(String previous, String candidate, DeclaredReader... readers) {
    return ContractImpact.of(Optional.of(previous), candidate, List.of(), List.of(readers));
  }

  @Test
  void removingADeclaredFieldBreaksItsReadersEvenWhereBackwardAllowsIt() {
    String withoutNote = ORDER.replace(",\"note\":{\"type\":\"string\"}", "");
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.BACKWARD, List.of(ORDER), withoutNote),
        "an open object may lose a property under BACKWARD");
    ContractImpact impact = protect(ORDER, withoutNote, reader("notes", "/data/note"), reader("ids", "/data/id"));
    assertEquals(List.of("notes /data/note declared-field-removed /note"), touches(impact.protectedFieldsBroken()));
    assertEquals(impact.protectedFieldsBroken(), impact.affects());
    BreakingChange removed = impact.protectedFieldsBroken().get(0).reads().get(0).changes().get(0);
    assertEquals("/properties/note", removed.pointer(), "where the latest version declared it");
    assertEquals("/data/note is declared by the latest version (`/properties/note`) and no longer by the candidate",
        removed.message());
  }

  @Test
  void removingAnObjectBreaksTheReadsInsideIt() {
    String withoutAddress = json("{'type':'object','required':['id','price'],'properties':{"
        + "'id':{'type':'string'},'price':{'type':'number'},'note':{'type':'string'}}}");
    ContractImpact impact = protect(ORDER, withoutAddress, reader("ship", "/data/address/street"),
        reader("cities", "/data/address/city"));
    assertEquals(List.of("cities /data/address/city declared-field-removed /address",
        "ship /data/address/street declared-field-removed /address"), touches(impact.protectedFieldsBroken()));
  }

  @Test
  void removingAFieldOfEveryItemBreaksReadsOfAnyItemAndOfOneItem() {
    String withoutSku = ORDER.replace("\"sku\":{\"type\":\"string\"},", "");
    ContractImpact impact = protect(ORDER, withoutSku, reader("any", "/data/items/*/sku"),
        reader("first", "/data/items/0/sku"), reader("qty", "/data/items/*/qty"));
    assertEquals(List.of("any /data/items/*/sku declared-field-removed /items/*/sku",
            "first /data/items/0/sku declared-field-removed /items/*/sku"),
        touches(impact.protectedFieldsBroken()));
  }

  @Test
  void aReadOfAFieldNoVersionDeclaredIsNotProtected() {
    ContractImpact impact = protect(ORDER, ORDER.replace(",\"note\":{\"type\":\"string\"}", ""),
        reader("extra", "/data/extra", "/data/address/zip", "/data/items/*/colour"));
    assertEquals(List.of(), impact.protectedFieldsBroken());
  }

  @Test
  void aRequiredFieldMadeOptionalBreaksItsReadersAndTheReadsInsideIt() {
    String priceOptional = ORDER.replace("'required':['id','price']".replace('\'', '"'), "\"required\":[\"id\"]");
    String streetOptional = ORDER.replace("\"required\":[\"street\"],", "");
    assertEquals(List.of("price /data/price declared-field-optional /price"),
        touches(protect(ORDER, priceOptional, reader("price", "/data/price"), reader("id", "/data/id"))
            .protectedFieldsBroken()));
    ContractImpact street = protect(ORDER, streetOptional, reader("street", "/data/address/street"));
    BreakingChange optional = street.protectedFieldsBroken().get(0).reads().get(0).changes().get(0);
    assertEquals("declared-field-optional", optional.rule());
    assertEquals("/properties/address/required", optional.pointer());
    assertEquals("/address/street", optional.path());
    // A read inside a field that became optional loses it too.
    String addressRequired = ORDER.replace("\"required\":[\"id\",\"price\"]", "\"required\":[\"id\",\"price\","
        + "\"address\"]");
    assertEquals(List.of("city /data/address/city declared-field-optional /address"),
        touches(protect(addressRequired, ORDER, reader("city", "/data/address/city")).protectedFieldsBroken()));
  }

  @Test
  void fieldsAreFoundThroughRefsAndCombiners() {
    String viaRef = json("{'definitions':{'money':{'type':'object','required':['amount'],'properties':{'amount':"
        + "{'type':'number'},'currency':{'type':'string'}}}},'type':'object','properties':{'price':"
        + "{'$ref':'#/definitions/money'}}}");
    String viaAllOf = json("{'allOf':[{'properties':{'price':{'properties':{'amount':{'type':'number'},"
        + "'currency':{'type':'string'}},'required':['amount']}}}]}");
    String viaOneOf = json("{'oneOf':[{'properties':{'price':{'properties':{'amount':{'type':'number'}},"
        + "'required':['amount']}}},{'type':'null'}]}");
    String plain = json("{'type':'object','properties':{'price':{'type':'object','properties':{'amount':"
        + "{'type':'number'}}}}}");
    DeclaredReader amount = reader("amount", "/data/price/amount");
    DeclaredReader currency = reader("currency", "/data/price/currency");
    // (The narrowing checker does not reason about a writer's combiners: it reports its own changes here.)
    assertEquals(List.of(), declaredTouches(protect(viaAllOf, viaRef, amount, currency).protectedFieldsBroken()),
        "the same fields, moved out of allOf behind a $ref: still declared, still required");
    assertEquals(List.of(), declaredTouches(protect(viaOneOf, plain, amount, currency).protectedFieldsBroken()),
        "amount is still declared, and was required by one branch only; currency was never declared");
    ContractImpact fromRef = protect(viaRef, plain, amount, currency);
    assertEquals(List.of("amount /data/price/amount declared-field-optional /price/amount",
            "currency /data/price/currency declared-field-removed /price/currency"),
        touches(fromRef.protectedFieldsBroken()));
    assertEquals("/definitions/money/properties/currency",
        fromRef.protectedFieldsBroken().get(1).reads().get(0).changes().get(0).pointer());
    assertEquals("/definitions/money/required",
        fromRef.protectedFieldsBroken().get(0).reads().get(0).changes().get(0).pointer());
    ContractImpact fromOneOf = protect(viaOneOf, json("{'properties':{'price':{}}}"), amount);
    assertEquals("/oneOf/0/properties/price/properties/amount",
        fromOneOf.protectedFieldsBroken().get(0).reads().get(0).changes().get(0).pointer(), "found in a branch");
  }

  @Test
  void aReadOfOneTuplePositionIsNamedByItsIndex() {
    String pair = json("{'type':'array','items':[{'type':'object','properties':{'sku':{}}},{'type':'string'}]}");
    String skuless = json("{'type':'array','items':[{'type':'object'},{'type':'string'}]}");
    assertEquals(List.of("first /data/0/sku declared-field-removed /0/sku"),
        declaredTouches(protect(pair, skuless, reader("first", "/data/0/sku")).protectedFieldsBroken()));
  }

  @Test
  void narrowingsFromTheLatestVersionTouchingAReadAreProtectedWhateverTheLevel() {
    String shorterId = ORDER.replace("\"id\":{\"type\":\"string\"}", "\"id\":{\"type\":\"string\",\"maxLength\":8}");
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.FORWARD, List.of(ORDER), shorterId),
        "FORWARD allows narrowing");
    ContractImpact impact = protect(ORDER, shorterId, reader("ids", "/data/id"), reader("prices", "/data/price"));
    assertEquals(List.of("ids /data/id maxLength-lowered /id"), touches(impact.protectedFieldsBroken()));
  }

  @Test
  void affectsListsTheLevelsChangesAndTheProtectedOnesProtectedOnlyTheLatter() {
    String candidate = ORDER.replace(",\"note\":{\"type\":\"string\"}", "");
    BreakingChange level = new BreakingChange("/properties/price/type", "type-narrowed", "price", "/price");
    ContractImpact impact = ContractImpact.of(Optional.of(ORDER), candidate, List.of(level),
        List.of(reader("g", "/data/price", "/data/note")));
    assertEquals(List.of("g /data/note declared-field-removed /note", "g /data/price type-narrowed /price"),
        touches(impact.affects()));
    assertEquals(List.of("g /data/note declared-field-removed /note"), touches(impact.protectedFieldsBroken()));
  }

  @Test
  void anUnchangedSchemaBreaksNothing() {
    assertEquals(ContractImpact.NONE, protect(ORDER, ORDER, reader("g", "/data", "/data/items/*/sku",
        "/data/address/street")));
  }

  @Test
  void aFirstVersionHasNothingToProtect() {
    assertEquals(ContractImpact.NONE, ContractImpact.of(Optional.empty(), ORDER, List.of(),
        List.of(reader("g", "/data/price"))));
  }

  @Test
  void recursiveAndSelfCombiningSchemasAreWalkedWithinBounds() {
    String tree = json("{'definitions':{'node':{'type':'object','properties':{'name':{'type':'string'},"
        + "'children':{'type':'array','items':{'$ref':'#/definitions/node'}}},'allOf':[{'$ref':'#/definitions/node'}]"
        + "}},'$ref':'#/definitions/node'}");
    String nameless = tree.replace("\"name\":{\"type\":\"string\"},", "");
    String deep = "/data" + "/children/*".repeat(60) + "/name";
    ContractImpact impact = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> protect(tree, nameless, reader("deep", deep), reader("top", "/data/name")));
    assertEquals(List.of("deep", "top"), impact.protectedFieldsBroken().stream().map(AffectedReader::group).toList());
    assertEquals("/name", impact.protectedFieldsBroken().get(1).reads().get(0).changes().stream()
        .filter(c -> c.rule().equals(ContractImpact.DECLARED_FIELD_REMOVED)).findFirst().orElseThrow().path());
  }
}
