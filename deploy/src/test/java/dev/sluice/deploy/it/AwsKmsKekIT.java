package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.kek.AwsKmsKek;
import dev.sluice.crypto.kek.KekRefusedException;
import dev.sluice.crypto.kek.Keks;
import dev.sluice.crypto.kek.KmsAccess;
import dev.sluice.deploy.testing.MotoServer;
import dev.sluice.storekit.aws.SyncClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * {@link AwsKmsKek} against a real KMS API: moto's server on loopback, reached through
 * {@code sluice.crypto.kms.endpoint}'s path ({@link KmsAccess}) with dummy credentials. Skipped, saying so, where
 * {@code moto_server} is not on the PATH: it is a Python package, which the build cannot install.
 *
 * <p>Where moto differs from KMS: a Decrypt naming another key than the ciphertext's is answered
 * {@code AccessDeniedException} by moto, {@code IncorrectKeyException} by KMS (a {@link GeneralSecurityException},
 * KmsFailuresTest); moto does not refuse a disabled key, so that refusal is covered by KmsFailuresTest alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsKmsKekIT {
  private static final StaticCredentialsProvider DUMMY =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
  private static final byte[] SWK = "a stream wrapping key, as a small keyset".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ORDERS = "sluice-swk|orders".getBytes(StandardCharsets.UTF_8);

  private static MotoServer moto;
  private static KmsAccess access;
  private static String keyA;
  private static String keyB;

  @BeforeAll
  static void startMoto() throws Exception {
    Optional<Path> executable = MotoServer.find();
    if (executable.isEmpty()) {
      return;
    }
    moto = MotoServer.start(executable.get(), Path.of("target", "moto", "AwsKmsKekIT.log"));
    access = new KmsAccess(Optional.of(moto.endpoint()), DUMMY, Duration.ofSeconds(2));
    try (KmsClient admin = SyncClients.build(KmsClient.builder(), Region.EU_WEST_1, Optional.of(moto.endpoint()),
        DUMMY)) {
      keyA = admin.createKey(b -> b.description("sluice KEK A")).keyMetadata().arn();
      keyB = admin.createKey(b -> b.description("sluice KEK B")).keyMetadata().arn();
      admin.createAlias(b -> b.aliasName("alias/sluice-kek").targetKeyId(keyA));
    }
  }

  /** Per test, so that each is reported skipped with the reason (an assumption in @BeforeAll reports none). */
  @BeforeEach
  void needsMoto() {
    Assumptions.assumeTrue(moto != null, "moto_server is not on the PATH (pip install 'moto[server]'): the KMS KEK"
        + " is not tested against a KMS API here; the unit tests cover its parsing and error sorting");
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  private static AwsKmsKek kek(String arn) {
    return assertInstanceOf(AwsKmsKek.class, Keks.fromUri(Keks.AWS_KMS + arn, access));
  }

  @Test
  @Order(1)
  void aWrappedKeyUnwrapsWithTheSameAssociatedDataAndIsNotInTheClear() throws Exception {
    try (AwsKmsKek kek = kek(keyA)) {
      byte[] wrapped = kek.wrap(SWK, ORDERS);
      assertFalse(new String(wrapped, StandardCharsets.ISO_8859_1).contains("stream wrapping key"));
      assertArrayEquals(SWK, kek.unwrap(wrapped, ORDERS));
      assertArrayEquals(SWK, kek.unwrap(kek.wrap(SWK, new byte[0]), new byte[0]), "no associated data: no context");
    }
  }

  @Test
  @Order(2)
  void otherAssociatedDataIsABadCiphertext() throws Exception {
    try (AwsKmsKek kek = kek(keyA)) {
      byte[] wrapped = kek.wrap(SWK, ORDERS);
      byte[] payments = "sluice-swk|payments".getBytes(StandardCharsets.UTF_8);
      assertThrows(GeneralSecurityException.class, () -> kek.unwrap(wrapped, payments));
      assertThrows(GeneralSecurityException.class, () -> kek.unwrap(wrapped, new byte[0]));
      byte[] flipped = wrapped.clone();
      flipped[flipped.length - 1] ^= 1;
      assertThrows(GeneralSecurityException.class, () -> kek.unwrap(flipped, ORDERS));
    }
  }

  @Test
  @Order(3)
  void aCiphertextOfAnotherKeyIsRefusedNeverUnwrapped() throws Exception {
    try (AwsKmsKek a = kek(keyA); AwsKmsKek b = kek(keyB)) {
      byte[] wrappedByB = b.wrap(SWK, ORDERS);
      // Decrypt names key A: moto refuses it as AccessDeniedException (KMS: IncorrectKeyException, a bad ciphertext).
      KekRefusedException refused = assertThrows(KekRefusedException.class, () -> a.unwrap(wrappedByB, ORDERS));
      assertInstanceOf(KmsException.class, refused.getCause());
      assertEquals("AccessDeniedException",
          ((KmsException) refused.getCause()).awsErrorDetails().errorCode());
      assertArrayEquals(SWK, b.unwrap(wrappedByB, ORDERS), "its own key still unwraps it");
    }
  }

  @Test
  @Order(4)
  void anAliasArnWrapsWithItsKeyAndUnwrapsIt() throws Exception {
    String alias = keyA.substring(0, keyA.indexOf(":key/")) + ":alias/sluice-kek";
    try (AwsKmsKek viaAlias = kek(alias); AwsKmsKek viaKey = kek(keyA)) {
      byte[] wrapped = viaAlias.wrap(SWK, ORDERS);
      assertArrayEquals(SWK, viaKey.unwrap(wrapped, ORDERS), "the alias's key wrapped it");
      assertArrayEquals(SWK, viaAlias.unwrap(viaKey.wrap(SWK, ORDERS), ORDERS));
    }
  }

  @Test
  @Order(5)
  void aKeyThatDoesNotExistIsARefusalNotABadCiphertext() {
    String missing = keyA.substring(0, keyA.indexOf(":key/")) + ":key/00000000-0000-0000-0000-000000000000";
    try (AwsKmsKek kek = kek(missing)) {
      KekRefusedException refused = assertThrows(KekRefusedException.class, () -> kek.wrap(SWK, ORDERS));
      assertInstanceOf(NotFoundException.class, refused.getCause());
    }
  }

  /** Last: it stops the server. */
  @Test
  @Order(99)
  void aKmsThatIsGoneIsAnOutageNeitherABadCiphertextNorARefusal() throws Exception {
    try (AwsKmsKek kek = kek(keyA)) {
      byte[] wrapped = kek.wrap(SWK, ORDERS);
      moto.stop();
      long start = System.nanoTime();
      RuntimeException outage = assertThrows(RuntimeException.class, () -> kek.unwrap(wrapped, ORDERS));
      assertInstanceOf(SdkClientException.class, outage, "the SDK's own exception: " + outage);
      assertFalse(outage instanceof KekRefusedException);
      assertThrows(SdkClientException.class, () -> kek.wrap(SWK, ORDERS));
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
          "bounded by the call timeout, not hanging");
    }
  }
}
