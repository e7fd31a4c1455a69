package dev.sluice.schemas.marks;

import static dev.sluice.schemas.marks.MarkRulesTest.json;
import static dev.sluice.schemas.marks.MarkRulesTest.root;
import static dev.sluice.schemas.marks.MarkRulesTest.withSubject;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.compat.CompatibilityChecker;
import dev.sluice.schemas.registry.Compatibility;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MarkChangesTest {
  private static final String EMAIL_AND_NAME =
      withSubject("'email':{'type':'string','x-sensitive':true},'name':{'type':'string','x-sensitive':true}");

  /** "pointer rule" of each change from {@code earlier} to {@code candidate} (single-quoted JSON). */
  private static List<String> changes(String earlier, String candidate) {
    return MarkChanges.between(SensitiveMarks.of(json(earlier)), SensitiveMarks.of(json(candidate))).stream()
        .map(p -> p.pointer() + " " + p.rule())
        .toList();
  }

  @Test
  void unmarkingAFieldIsBreaking() {
    String nameUnmarked = withSubject("'email':{'type':'string','x-sensitive':true},'name':{'type':'string'}");
    assertEquals(List.of("/properties/name sensitive-unmarked"), changes(EMAIL_AND_NAME, nameUnmarked));
    assertEquals(List.of("/name"), CompatibilityChecker.check(Compatibility.BACKWARD, List.of(json(EMAIL_AND_NAME)),
        json(nameUnmarked)).get(0).paths(), "the change is about the data at /name");
  }

  @Test
  void removingAMarkedFieldIsBreakingToo() {
    // Without a declaration the field is still allowed (additionalProperties), now unmarked.
    assertEquals(List.of(" sensitive-unmarked"),
        changes(EMAIL_AND_NAME, withSubject("'email':{'type':'string','x-sensitive':true}")));
  }

  @Test
  void addingAMarkIsNot() {
    String emailOnly = withSubject("'email':{'type':'string','x-sensitive':true},'name':{'type':'string'}");
    assertEquals(List.of(), changes(emailOnly, EMAIL_AND_NAME));
    assertEquals(List.of(), changes(withSubject("'name':{'type':'string'}"), EMAIL_AND_NAME), "a first mark");
  }

  @Test
  void changingTheSubjectIsBreaking() {
    String bySsn = EMAIL_AND_NAME.replace("'x-data-subject':'/id'", "'x-data-subject':'/ssn'");
    assertEquals(List.of("/x-data-subject data-subject-changed"), changes(EMAIL_AND_NAME, bySsn));
    assertEquals(List.of(), changes(EMAIL_AND_NAME, EMAIL_AND_NAME.replace("'/id'", "'/i\\u0064'")),
        "the same pointer written otherwise");
  }

  @Test
  void markingTheWholeOfAMarkedPartIsNotUnmarking() {
    String numberMarked = withSubject("'card':{'properties':{'number':{'x-sensitive':true},'holder':{}}}");
    String cardMarked = withSubject("'card':{'x-sensitive':true,'properties':{'number':{},'holder':{}}}");
    assertEquals(List.of(), changes(numberMarked, cardMarked));
    assertEquals(List.of("/properties/card sensitive-unmarked"), changes(cardMarked, numberMarked),
        "the card's holder is no longer marked");
  }

  @Test
  void movingAMarkBehindARefKeepsIt() {
    String viaRef = root("'email':{'$ref':'#/definitions/email'},'name':{'type':'string','x-sensitive':true}",
        "'definitions':{'email':{'type':'string','x-sensitive':true}}");
    assertEquals(List.of(), changes(EMAIL_AND_NAME, viaRef));
    assertEquals(List.of(), changes(viaRef, EMAIL_AND_NAME));
  }

  @Test
  void aMemberNewlyDeclaredOutsideAMarkedCatchAllIsUnmarked() {
    String catchAll = withSubject("'notes':{'additionalProperties':{'x-sensitive':true}}");
    String declared = withSubject("'notes':{'properties':{'public':{'type':'string'}},"
        + "'additionalProperties':{'x-sensitive':true}}");
    assertEquals(List.of("/properties/notes/properties/public sensitive-unmarked"), changes(catchAll, declared));
  }

  @Test
  void itemsStayMarkedItemByItem() {
    String all = withSubject("'emails':{'items':{'x-sensitive':true}}");
    String firstOnly = withSubject("'emails':{'items':[{'x-sensitive':true}]}");
    assertEquals(List.of(), changes(firstOnly, all));
    assertEquals(List.of(" sensitive-unmarked"), changes(all, firstOnly));
  }

  @ParameterizedTest
  @EnumSource(Compatibility.class)
  void theCheckerRefusesUnmarkingAtEveryLevelButNone(Compatibility level) {
    String nameUnmarked = json(withSubject("'email':{'type':'string','x-sensitive':true},'name':{'type':'string'}"));
    List<String> rules = CompatibilityChecker.check(level, List.of(json(EMAIL_AND_NAME)), nameUnmarked).stream()
        .map(BreakingChange::rule)
        .toList();
    assertEquals(level == Compatibility.NONE ? List.of() : List.of("sensitive-unmarked"), rules);
    assertEquals(List.of(), CompatibilityChecker.check(level, List.of(nameUnmarked), json(EMAIL_AND_NAME)),
        "adding a mark");
  }

  @Test
  void transitiveLevelsCompareWithEveryEarlierVersion() {
    String unmarked = json(withSubject("'email':{'type':'string'},'name':{'type':'string'}"));
    List<String> earlier = List.of(json(EMAIL_AND_NAME), unmarked);
    assertEquals(List.of(), CompatibilityChecker.check(Compatibility.BACKWARD, earlier, unmarked));
    assertEquals(List.of("/properties/email sensitive-unmarked", "/properties/name sensitive-unmarked"),
        CompatibilityChecker.check(Compatibility.BACKWARD_TRANSITIVE, earlier, unmarked).stream()
            .map(c -> c.pointer() + " " + c.rule()).sorted().toList());
  }
}
