package dev.sluice.quarantine.aws;

import dev.sluice.storekit.aws.SyncClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the synchronous SDK clients ({@link SyncClients}: the URL-connection HTTP client, since the SDK's Netty 4.1
 * would clash with Vert.x 5's Netty 4.2). They block, so every call goes through a Vert.x worker
 * ({@code executeBlocking}), never an event loop.
 */
public final class AwsClients {
  private AwsClients() {}

  public static DynamoDbClient dynamo(AwsConfig config) {
    return SyncClients.build(DynamoDbClient.builder(), Region.of(config.region()), config.dynamoEndpoint(),
        credentials(config));
  }

  public static SqsClient sqs(AwsConfig config) {
    return SyncClients.build(SqsClient.builder(), Region.of(config.region()), config.sqsEndpoint(),
        credentials(config));
  }

  private static AwsCredentialsProvider credentials(AwsConfig config) {
    return config.staticKeys()
        .<AwsCredentialsProvider>map(k -> StaticCredentialsProvider.create(
            AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }
}
