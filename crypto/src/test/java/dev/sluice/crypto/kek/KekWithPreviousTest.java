package dev.sluice.crypto.kek;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While moving to another KEK: new wraps are the new KEK's alone, what either KEK wrapped unwraps, and only a bad
 * ciphertext falls through to the old KEK (a refusal of the new one is not hidden by trying the old one).
 */
class KekWithPreviousTest {
  private static final byte[] AD = "sluice-swk|retail".getBytes(StandardCharsets.UTF_8);
  private static final byte[] KEY = "a stream key".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  @Test
  void wrapsWithTheCurrentKekAloneAndUnwrapsWhatEitherWrapped() throws Exception {
    LocalKek old = LocalKek.open(dir.resolve("old.json"));
    LocalKek current = LocalKek.open(dir.resolve("new.json"));
    KekWithPrevious moving = new KekWithPrevious(current, old);

    assertEquals(current.uri(), moving.uri());
    byte[] wrappedNow = moving.wrap(KEY, AD);
    assertArrayEquals(KEY, current.unwrap(wrappedNow, AD), "the new KEK alone unwraps what it wraps now");
    assertThrows(GeneralSecurityException.class, () -> old.unwrap(wrappedNow, AD));
    assertArrayEquals(KEY, moving.unwrap(old.wrap(KEY, AD), AD), "what the old KEK wrapped still unwraps");
    assertArrayEquals(KEY, moving.unwrap(wrappedNow, AD));
  }

  @Test
  void bytesNeitherKekWrappedAreStillABadCiphertextAndOtherDataIsRefused() throws Exception {
    LocalKek old = LocalKek.open(dir.resolve("old.json"));
    KekWithPrevious moving = new KekWithPrevious(LocalKek.open(dir.resolve("new.json")), old);
    LocalKek stranger = LocalKek.open(dir.resolve("stranger.json"));

    GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
        () -> moving.unwrap(stranger.wrap(KEY, AD), AD));
    assertEquals(1, e.getSuppressed().length, "the old KEK's refusal rides along");
    byte[] fromOld = old.wrap(KEY, AD);
    assertThrows(GeneralSecurityException.class,
        () -> moving.unwrap(fromOld, "sluice-swk|payments".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aRefusalOfTheCurrentKekIsThrownAsItIsWithoutAskingThePreviousOne() throws Exception {
    AtomicInteger previousCalls = new AtomicInteger();
    LocalKek old = LocalKek.open(dir.resolve("old.json"));
    Kek counting = new Kek() {
      @Override
      public String uri() {
        return old.uri();
      }

      @Override
      public byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return old.wrap(plaintext, associatedData);
      }

      @Override
      public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
        previousCalls.incrementAndGet();
        return old.unwrap(wrapped, associatedData);
      }
    };
    Kek refusing = new Kek() {
      @Override
      public String uri() {
        return "aws-kms://arn:aws:kms:eu-west-1:123456789012:key/new";
      }

      @Override
      public byte[] wrap(byte[] plaintext, byte[] associatedData) {
        throw new KekRefusedException("AccessDeniedException on the new key", null);
      }

      @Override
      public byte[] unwrap(byte[] wrapped, byte[] associatedData) {
        throw new KekRefusedException("AccessDeniedException on the new key", null);
      }
    };
    KekWithPrevious moving = new KekWithPrevious(refusing, counting);
    byte[] fromOld = old.wrap(KEY, AD);

    assertThrows(KekRefusedException.class, () -> moving.unwrap(fromOld, AD));
    assertEquals(0, previousCalls.get());
  }

  @Test
  void theSameKekTwiceIsRefused() {
    LocalKek kek = LocalKek.open(dir.resolve("kek.json"));
    assertThrows(IllegalArgumentException.class, () -> new KekWithPrevious(kek, kek));
  }
}
