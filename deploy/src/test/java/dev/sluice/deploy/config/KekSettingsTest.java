package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.CryptoSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code sluice.crypto.kek} and {@code sluice.crypto.kms.endpoint}: which KEK, refused at start-up when malformed. */
class KekSettingsTest {
  private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static Optional<CryptoSettings> read(Map<String, String> keys) {
    return SluiceConfig.from(RawConfig.of(keys)).crypto();
  }

  private static String refused(Map<String, String> keys) {
    return assertThrows(ConfigException.class, () -> read(keys)).getMessage();
  }

  @Test
  void aKmsKeyArnIsTheKekAsGivenWithNoEndpointByDefault() {
    CryptoSettings crypto = read(Map.of("sluice.aws.target", "aws", CryptoSection.KEK, "aws-kms://" + KEY))
        .orElseThrow();
    assertEquals("aws-kms://" + KEY, crypto.kekUri());
    assertEquals(Optional.empty(), crypto.kmsEndpoint());
  }

  @Test
  void anAliasArnAndAnEndpointAreAccepted() {
    String alias = "aws-kms://arn:aws:kms:eu-west-1:123456789012:alias/sluice-kek";
    CryptoSettings crypto = read(Map.of(CryptoSection.KEK, alias,
        CryptoSection.KMS_ENDPOINT, "https://vpce-0abc.kms.eu-west-1.vpce.amazonaws.com")).orElseThrow();
    assertEquals(alias, crypto.kekUri());
    assertEquals(Optional.of(URI.create("https://vpce-0abc.kms.eu-west-1.vpce.amazonaws.com")),
        crypto.kmsEndpoint());
  }

  @Test
  void aMalformedArnIsRefusedAtStartUpSayingWhichPartAndWhatIsExpected() {
    String message = refused(Map.of(CryptoSection.KEK, "aws-kms://arn:aws:kms:eu-west-1:1234:key/" + "abc"));
    assertTrue(message.contains("sluice.crypto.kek: KEK URI 'aws-kms://arn:aws:kms:eu-west-1:1234:key/abc'"), message);
    assertTrue(message.contains("no 12-digit account id ('1234')"), message);
    assertTrue(message.contains("expected arn:aws:kms:<region>:<account>:key/<key-id>"), message);
    assertTrue(refused(Map.of(CryptoSection.KEK, "aws-kms://arn:aws:kms::123456789012:key/x"))
        .contains("names no region"));
    assertTrue(refused(Map.of(CryptoSection.KEK, "aws-kms://alias/sluice-kek")).contains("is not an ARN"));
  }

  @Test
  void anUnknownSchemeIsRefusedSayingWhatIsAccepted() {
    String message = refused(Map.of(CryptoSection.KEK, "vault://transit/sluice"));
    assertTrue(message.contains("unknown scheme") && message.contains("local:<path> or aws-kms://<KMS key ARN>"),
        message);
  }

  @Test
  void anEndpointWithoutAKmsKekOrNotAUriIsRefused() {
    assertTrue(refused(Map.of(CryptoSection.KMS_ENDPOINT, "http://127.0.0.1:4566"))
        .contains("sluice.crypto.kms.endpoint is set, but neither sluice.crypto.kek nor sluice.crypto.kek.previous "
            + "is an aws-kms:// key"));
    assertTrue(refused(Map.of(CryptoSection.KEK, "aws-kms://" + KEY, CryptoSection.KMS_ENDPOINT, "kms.local"))
        .contains(CryptoSection.KMS_ENDPOINT));
  }

  @Test
  void aPreviousKekIsReadForTheMoveAndNoneByDefault() {
    assertEquals(Optional.empty(), read(Map.of(CryptoSection.KEK, "aws-kms://" + KEY)).orElseThrow()
        .previousKekUri());
    CryptoSettings moving = read(Map.of(CryptoSection.KEK, "aws-kms://" + KEY, CryptoSection.PREVIOUS_KEK,
        "local:/var/lib/sluice/kek.json")).orElseThrow();
    assertEquals(Optional.of("local:/var/lib/sluice/kek.json"), moving.previousKekUri());
    // An endpoint is for whichever of the two is a KMS key.
    assertEquals(Optional.of("aws-kms://" + KEY), read(Map.of(CryptoSection.KEK, "local:/k.json",
        CryptoSection.PREVIOUS_KEK, "aws-kms://" + KEY, CryptoSection.KMS_ENDPOINT, "https://kms.example"))
        .orElseThrow().previousKekUri());
  }

  @Test
  void aPreviousKekThatIsMalformedTheKekItselfOrHasNothingToMoveToIsRefused() {
    assertTrue(refused(Map.of(CryptoSection.KEK, "aws-kms://" + KEY, CryptoSection.PREVIOUS_KEK, "vault://x"))
        .contains("sluice.crypto.kek.previous: KEK URI 'vault://x' has an unknown scheme"));
    assertTrue(refused(Map.of(CryptoSection.KEK, "aws-kms://" + KEY, CryptoSection.PREVIOUS_KEK, "aws-kms://" + KEY))
        .contains("the previous KEK must not be the KEK itself"));
    assertTrue(refused(Map.of(CryptoSection.KEK, "none", CryptoSection.PREVIOUS_KEK, "local:/k.json"))
        .contains("sluice.crypto.kek.previous is set, but there is no sluice.crypto.kek to move to"));
  }
}
