package dev.sluice.crypto.kek;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class KeksTest {
  private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  /** Nothing listens there: opening a KMS KEK must make no call. */
  private static final KmsAccess NOWHERE = new KmsAccess(Optional.of(URI.create("http://127.0.0.1:9")),
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), Duration.ofSeconds(1));

  @Test
  void anAwsKmsUriOpensAKmsKekWithoutCallingKms() {
    Kek kek = Keks.fromUri(Keks.AWS_KMS + KEY, NOWHERE);
    try (AwsKmsKek kms = assertInstanceOf(AwsKmsKek.class, kek)) {
      assertEquals(Keks.AWS_KMS + KEY, kms.uri());
    }
  }

  @Test
  void anAliasArnIsAccepted() {
    String alias = Keks.AWS_KMS + "arn:aws:kms:us-east-1:123456789012:alias/sluice-kek";
    assertDoesNotThrow(() -> Keks.check(alias));
    try (AwsKmsKek kms = assertInstanceOf(AwsKmsKek.class, Keks.fromUri(alias, NOWHERE))) {
      assertEquals(alias, kms.uri());
    }
  }

  @Test
  void aMalformedArnIsRefusedNamingTheUriAndWhatIsExpected() {
    String bad = Keks.AWS_KMS + "arn:aws:kms:eu-west-1:123:key/abc";
    String message = assertThrows(IllegalArgumentException.class, () -> Keks.fromUri(bad, NOWHERE)).getMessage();
    assertTrue(message.startsWith("KEK URI '" + bad + "'"), message);
    assertTrue(message.contains("12-digit account id ('123')"), message);
    assertTrue(message.contains("expected arn:aws:kms:<region>:<account>:key/<key-id>"), message);
    String bareId = Keks.AWS_KMS + "1234abcd-12ab-34cd-56ef-1234567890ab";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Keks.check(bareId)).getMessage()
        .contains("is not an ARN"));
  }

  @Test
  void otherSchemesAreRefusedSayingWhatIsAccepted() {
    String unknown = assertThrows(IllegalArgumentException.class, () -> Keks.check("gcp-kms://x")).getMessage();
    assertTrue(unknown.contains("unknown scheme") && unknown.contains("local:<path>")
        && unknown.contains("aws-kms://<KMS key ARN>"), unknown);
    assertThrows(IllegalArgumentException.class, () -> Keks.check("local: "));
    assertThrows(IllegalArgumentException.class, () -> Keks.check("aws-kms://"));
  }

  @Test
  void anExistingKekMustBeThereAndIsNeverMade(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path missing = dir.resolve("old-kek.json");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Keks.existing(Keks.LOCAL + missing, NOWHERE));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(java.nio.file.Files.notExists(missing), "a previous KEK is never made");
    LocalKek made = LocalKek.open(missing);
    assertEquals(made.uri(), Keks.existing(Keks.LOCAL + missing, NOWHERE).uri());
  }
}
