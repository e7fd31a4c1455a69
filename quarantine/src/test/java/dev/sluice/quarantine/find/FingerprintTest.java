package dev.sluice.quarantine.find;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.schemas.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static final String TYPE = "retail.product.created";

  @Test
  void isTypeReasonAndTheFirstFailingPointer() {
    Fingerprint fp = Fingerprint.of(TestItems.item(TYPE, QuarantineReason.SCHEMA_VIOLATION, "",
        List.of(new Violation("/data/price", "minimum", "too low"), new Violation("/data/name", "type", "x")), "{}"));
    assertEquals(TYPE, fp.type());
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, fp.reason());
    assertEquals("/data/price", fp.locus());
    assertTrue(Fingerprint.isId(fp.id()), fp.id());
  }

  @Test
  void usesTheExceptionClassWhenThereAreNoViolations() {
    Fingerprint fp = Fingerprint.of(TestItems.item(TYPE, QuarantineReason.HANDLER_REJECTED, "demo.PriceTooHigh",
        List.of(), "{}"));
    assertEquals("demo.PriceTooHigh", fp.locus());
  }

  @Test
  void theSameFailureOnDifferentPayloadsIsOneFingerprintAndOtherFailuresAreNot() {
    List<Violation> price = List.of(new Violation("/data/price", "minimum", "-5 is too low"));
    Fingerprint a = Fingerprint.of(TestItems.item(TYPE, QuarantineReason.SCHEMA_VIOLATION, "", price, "{\"a\":1}"));
    Fingerprint b = Fingerprint.of(TestItems.item(TYPE, QuarantineReason.SCHEMA_VIOLATION, "",
        List.of(new Violation("/data/price", "minimum", "-7 is too low")), "{\"b\":2}"));
    assertEquals(a, b, "the message text does not split a group");
    assertNotEquals(a.id(), Fingerprint.of(TestItems.item(TYPE, QuarantineReason.SCHEMA_VIOLATION, "",
        List.of(new Violation("/data/name", "type", "x")), "{}")).id(), "another pointer");
    assertNotEquals(a.id(), Fingerprint.of(TestItems.item("retail.product.updated",
        QuarantineReason.SCHEMA_VIOLATION, "", price, "{}")).id(), "another type");
    assertNotEquals(a.id(), Fingerprint.of(TestItems.item(TYPE, QuarantineReason.HANDLER_REJECTED, "", price, "{}"))
        .id(), "another reason");
  }

  @Test
  void anItemWithoutATypeStillHasAFingerprint() {
    Fingerprint fp = Fingerprint.of(TestItems.item(null, QuarantineReason.MALFORMED, "", List.of(), "nope"));
    assertEquals("", fp.type());
    assertEquals("", fp.locus());
    assertTrue(Fingerprint.isId(fp.id()));
    assertFalse(Fingerprint.isId("../etc"));
  }
}
