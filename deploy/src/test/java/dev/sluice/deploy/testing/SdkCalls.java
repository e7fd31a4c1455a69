package dev.sluice.deploy.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Writes down the calls a real SDK client made to a real engine, and how each ended: read-only, it changes no request
 * and no answer. For what only the calls show (a table that exists is not waited for; a refused batch entry is asked
 * again, alone). Build the client with {@link #dynamo} or {@link #sqs}, which add it, plus any other interceptors.
 */
public final class SdkCalls implements ExecutionInterceptor {
  private final List<String> calls = new ArrayList<>();
  private final List<SdkRequest> requests = new ArrayList<>();

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    record(operation(attributes), context.request());
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    record(operation(attributes) + ": " + context.exception().getClass().getSimpleName(), context.request());
  }

  private synchronized void record(String call, SdkRequest request) {
    calls.add(call);
    requests.add(request);
  }

  private static String operation(ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }

  /** The operations in the order they ended, e.g. {@code "CreateTable"}, or {@code "DescribeTable: <exception>"}. */
  public synchronized List<String> operations() {
    return List.copyOf(calls);
  }

  /** The requests of one type, in the order they ended. */
  public synchronized <T extends SdkRequest> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public synchronized void clear() {
    calls.clear();
    requests.clear();
  }

  /** A DynamoDB client on {@code endpoint}, as the modules build theirs, whose calls this records. */
  public DynamoDbClient dynamo(String endpoint, ExecutionInterceptor... others) {
    return DynamoDbClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> {
          for (ExecutionInterceptor other : others) {
            o.addExecutionInterceptor(other);
          }
          o.addExecutionInterceptor(this);
        })
        .build();
  }

  /** An SQS client on {@code endpoint}, as the modules build theirs, whose calls this records. */
  public SqsClient sqs(String endpoint) {
    return SqsClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.addExecutionInterceptor(this))
        .build();
  }
}
