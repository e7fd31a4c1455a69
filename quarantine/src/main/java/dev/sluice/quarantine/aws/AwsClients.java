package dev.sluice.quarantine.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the synchronous SDK clients. They block, so every call goes through a Vert.x worker
 * ({@code executeBlocking}), never an event loop. The URL-connection HTTP client avoids the SDK's Netty 4.1, which
 * would clash with Vert.x 5's Netty 4.2.
 */
public final class AwsClients {
  private AwsClients() {}

  public static DynamoDbClient dynamo(AwsConfig config) {
    var b = DynamoDbClient.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(credentials(config))
        .httpClient(UrlConnectionHttpClient.create());
    config.dynamoEndpoint().ifPresent(b::endpointOverride);
    return b.build();
  }

  public static SqsClient sqs(AwsConfig config) {
    var b = SqsClient.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(credentials(config))
        .httpClient(UrlConnectionHttpClient.create());
    config.sqsEndpoint().ifPresent(b::endpointOverride);
    return b.build();
  }

  private static AwsCredentialsProvider credentials(AwsConfig config) {
    return config.staticKeys()
        .<AwsCredentialsProvider>map(k -> StaticCredentialsProvider.create(
            AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }
}
