package dev.sluice.crypto.kek;

import dev.sluice.storekit.aws.SyncClients;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * How this process reaches AWS KMS, for an {@code aws-kms://} KEK. The region is not here: it is the key ARN's.
 *
 * @param endpoint where KMS is called instead of the region's public endpoint ({@code sluice.crypto.kms.endpoint}): a
 *     VPC interface endpoint, or a test double; empty for the public one
 * @param credentials who the process is to KMS; the key ring passes those of its key table's client, so one identity
 *     reads the wrapped keys and unwraps them
 * @param callTimeout the longest one KMS call (the SDK's retries included) may take: the key call timeout, so a hung
 *     call frees its worker about when its caller gives up
 */
public record KmsAccess(Optional<URI> endpoint, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
    Duration callTimeout) {
  public KmsAccess {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credentials, "credentials");
    if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be a positive duration, not " + callTimeout);
    }
  }

  /** The public endpoint, the SDK's default credential chain, and a 2 s call timeout. */
  public static KmsAccess defaults() {
    return new KmsAccess(Optional.empty(), DefaultCredentialsProvider.builder().build(), Duration.ofSeconds(2));
  }

  /** A client for {@code key}'s region. */
  KmsClient client(KmsKeyArn key) {
    return SyncClients.build(KmsClient.builder(), Region.of(key.region()), endpoint, credentials);
  }
}
