package dev.sluice.crypto.kek;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKekTest {
  private static final byte[] AD = "sluice-swk|retail".getBytes(StandardCharsets.UTF_8);
  private static final byte[] KEY = "a stream wrapping keyset".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("data").resolve("keys").resolve("kek.json");
  }

  @Test
  void isMadeOnFirstUseReadableByItsOwnerOnly() throws Exception {
    LocalKek kek = LocalKek.open(file());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())),
        "the directory it made");
    assertTrue(Files.readString(file()).contains("\"primaryKeyId\""), "a Tink JSON keyset");
    assertArrayEquals(KEY, kek.unwrap(kek.wrap(KEY, AD), AD));
    assertEquals("local:" + file(), kek.uri());
  }

  @Test
  void leavesNoTemporaryFileBehind() throws Exception {
    LocalKek.open(file());
    LocalKek.rotate(file());
    try (Stream<Path> files = Files.list(file().getParent())) {
      assertEquals(Set.of("kek.json", "kek.json.lock"),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
  }

  @Test
  void isReloadedWhenPresentSoWhatItWrappedStillUnwraps() throws Exception {
    LocalKek first = LocalKek.open(file());
    byte[] wrapped = first.wrap(KEY, AD);
    LocalKek again = LocalKek.open(file());
    assertEquals(first.primaryKeyId(), again.primaryKeyId());
    assertArrayEquals(KEY, again.unwrap(wrapped, AD));
  }

  @Test
  void rotationWrapsWithANewKeyAndStillUnwrapsWhatTheOldOneWrapped() throws Exception {
    LocalKek before = LocalKek.open(file());
    byte[] wrappedBefore = before.wrap(KEY, AD);
    LocalKek rotated = LocalKek.rotate(file());
    assertNotEquals(before.primaryKeyId(), rotated.primaryKeyId());
    assertEquals(Set.of(before.primaryKeyId(), rotated.primaryKeyId()), rotated.keyIds());
    assertArrayEquals(KEY, rotated.unwrap(wrappedBefore, AD), "no re-wrapping needed");
    byte[] wrappedAfter = rotated.wrap(KEY, AD);
    assertThrows(GeneralSecurityException.class, () -> before.unwrap(wrappedAfter, AD), "the new key wrapped it");
    LocalKek reopened = LocalKek.open(file());
    assertEquals(rotated.primaryKeyId(), reopened.primaryKeyId(), "the rotation was written");
    assertArrayEquals(KEY, reopened.unwrap(wrappedBefore, AD));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
  }

  @Test
  void unwrappingWithOtherAssociatedDataFails() throws Exception {
    LocalKek kek = LocalKek.open(file());
    byte[] wrapped = kek.wrap(KEY, AD);
    assertThrows(GeneralSecurityException.class,
        () -> kek.unwrap(wrapped, "sluice-swk|other".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aFileOthersMayReadIsRefused() throws Exception {
    LocalKek.open(file());
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalKek.open(file()));
    assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
  }

  @Test
  void aFileThatIsNotAKeysetIsRefused() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"not\":\"a keyset\"}");
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalKek.open(file()));
    assertFalse(refused.getMessage().contains("a keyset\""), "the file's content is not echoed");
  }

  @Test
  void keksFromUriOpensALocalFile() {
    assertInstanceOf(LocalKek.class, Keks.fromUri("local:" + file(), KmsAccess.defaults()));
    assertTrue(Files.exists(file()));
    assertThrows(IllegalArgumentException.class, () -> Keks.fromUri("local:", KmsAccess.defaults()));
  }
}
