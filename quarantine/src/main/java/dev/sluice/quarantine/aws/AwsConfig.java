package dev.sluice.quarantine.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the quarantine store (DynamoDB) and the queues (SQS) live.
 *
 * <p>In production leave the endpoints empty and the keys unset: the SDK's default region and credential chain (IAM
 * role, environment, profile) apply. For DynamoDB Local and ElasticMQ set the endpoints and any static keys.
 *
 * @param quarantineTable the DynamoDB table holding quarantine items
 * @param queuePrefix prefix of every SQS queue Sluice creates (per consumer group)
 */
public record AwsConfig(
    String region,
    Optional<URI> dynamoEndpoint,
    Optional<URI> sqsEndpoint,
    Optional<StaticKeys> staticKeys,
    String quarantineTable,
    String queuePrefix) {

  public AwsConfig {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(dynamoEndpoint, "dynamoEndpoint");
    Objects.requireNonNull(sqsEndpoint, "sqsEndpoint");
    Objects.requireNonNull(staticKeys, "staticKeys");
    if (region.isBlank()) {
      throw new IllegalArgumentException("sluice.aws.region must not be blank");
    }
    if (quarantineTable == null || quarantineTable.length() < 3 || !quarantineTable.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("sluice.dynamodb.table must be 3+ characters of [A-Za-z0-9_.-]");
    }
    if (queuePrefix == null || !queuePrefix.matches("[A-Za-z0-9_-]{1,40}")) {
      throw new IllegalArgumentException("sluice.sqs.queue.prefix must be 1-40 characters of [A-Za-z0-9_-]");
    }
  }

  /** Static credentials, for local engines or where no credential chain is available. */
  public record StaticKeys(String accessKeyId, String secretAccessKey) {
    public StaticKeys {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "StaticKeys[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
    }
  }

  /** Local engines: DynamoDB Local and ElasticMQ on loopback, with dummy keys (they accept any). */
  public static AwsConfig local(String dynamoEndpoint, String sqsEndpoint) {
    return new AwsConfig("us-east-1", Optional.of(URI.create(dynamoEndpoint)), Optional.of(URI.create(sqsEndpoint)),
        Optional.of(new StaticKeys("local", "local")), "sluice-quarantine", "sluice");
  }
}
