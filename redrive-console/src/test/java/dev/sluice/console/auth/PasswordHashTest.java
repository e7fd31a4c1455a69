package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

  @Test
  void aHashMatchesItsPasswordOnlyAndSurvivesItsStoredForm() {
    PasswordHash h = PasswordHash.create("correct horse", 2_000, new SecureRandom());
    PasswordHash read = PasswordHash.parse(h.encoded());
    assertEquals(h, read);
    assertTrue(read.matches("correct horse"));
    assertFalse(read.matches("correct horse "));
    assertFalse(read.matches(""));
    assertFalse(read.matches(null));
    assertTrue(h.encoded().startsWith("pbkdf2-sha256:2000:"), h.encoded());
    assertFalse(h.encoded().contains("correct"), "the stored form holds no password");
    assertFalse(h.toString().contains(h.encoded().split(":")[3]), "toString shows no hash");
  }

  @Test
  void theSameTwiceGetsTwoSaltsAndSoTwoHashes() {
    SplittableRandom random = new SplittableRandom(7);
    assertNotEquals(PasswordHash.create("pw", 1_000, random).encoded(),
        PasswordHash.create("pw", 1_000, random).encoded());
  }

  @Test
  void malformedStoredFormsAreRefusedWithoutQuotingThem() {
    for (String bad : new String[] {"", "secret", "sha256:1:a:b", "pbkdf2-sha256:x:AAAAAAAAAAA:AAAA",
        "pbkdf2-sha256:100:AAAAAAAAAAAAAAAAAAAAAA:" + "A".repeat(43), "pbkdf2-sha256:10000:!!:??"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad));
      assertFalse(!bad.isEmpty() && e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void theDevUsersPasswordIsTheirName() {
    for (Credentials.User u : Credentials.DEV_USERS) {
      assertTrue(u.password().matches(u.name()), u.name());
      assertFalse(u.password().matches("wrong"), u.name());
    }
  }
}
