package dev.sluice.storekit.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Finishes a synchronous AWS SDK client the way every Sluice module builds one: the URL-connection HTTP client (the
 * SDK's Netty 4.1 client would clash with Vert.x 5's Netty 4.2, and the Apache client is excluded from the class path),
 * a region, credentials, and an optional endpoint (a local engine, a test double such as moto, or a VPC endpoint). The
 * clients block, so their calls go through Vert.x workers, never an event loop.
 *
 * <p>Here, below the modules that build clients (quarantine's DynamoDB and SQS clients, crypto's KMS client), so that
 * the choice is made once.
 */
public final class SyncClients {
  private SyncClients() {}

  /** {@code builder} with the URL-connection client, {@code region}, {@code credentials} and any {@code endpoint}. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Region region,
      Optional<URI> endpoint, IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(credentials, "credentials");
    builder.region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
