package dev.sluice.deploy.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Kafka, DynamoDB Local and ElasticMQ together. They start in parallel (each spends most of its start-up loading
 * classes and waiting on its own threads, so this saves seconds) and stop in reverse order: SQS, DynamoDB, Kafka.
 * If any fails to start, those that did start are stopped again before the failure is thrown.
 */
public final class EmbeddedEngines implements AutoCloseable {

    /**
     * Where the engines listen and keep their data.
     *
     * @param dynamoDbPath DynamoDB Local's {@code -dbPath}; {@code null} runs it in memory
     */
    public record Spec(Path kafkaDataDir, int kafkaPort, int kafkaControllerPort, Path dynamoDbPath, int dynamoDbPort,
                       int sqsPort) {
        public Spec {
            Objects.requireNonNull(kafkaDataDir, "kafkaDataDir");
        }
    }

    private final EmbeddedKafka kafka;
    private final EmbeddedDynamoDb dynamoDb;
    private final EmbeddedSqs sqs;

    private EmbeddedEngines(EmbeddedKafka kafka, EmbeddedDynamoDb dynamoDb, EmbeddedSqs sqs) {
        this.kafka = kafka;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
    }

    public static EmbeddedEngines start(Spec spec) {
        // Check every port before starting anything: a taken port then costs nothing to report.
        Ports.requireFree("Kafka", spec.kafkaPort());
        Ports.requireFree("Kafka controller", spec.kafkaControllerPort());
        Ports.requireFree("DynamoDB Local", spec.dynamoDbPort());
        Ports.requireFree("ElasticMQ", spec.sqsPort());
        ExecutorService starters = Executors.newFixedThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "sluice-engine-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletableFuture<EmbeddedKafka> kafka = async(starters, () -> EmbeddedKafka.start(
                    spec.kafkaDataDir(), spec.kafkaPort(), spec.kafkaControllerPort()));
            CompletableFuture<EmbeddedDynamoDb> dynamoDb = async(starters, () -> spec.dynamoDbPath() == null
                    ? EmbeddedDynamoDb.startInMemory(spec.dynamoDbPort())
                    : EmbeddedDynamoDb.startPersistent(spec.dynamoDbPath(), spec.dynamoDbPort()));
            CompletableFuture<EmbeddedSqs> sqs = async(starters, () -> EmbeddedSqs.start(spec.sqsPort()));

            List<RuntimeException> failures = new ArrayList<>();
            EmbeddedKafka k = await(kafka, failures);
            EmbeddedDynamoDb d = await(dynamoDb, failures);
            EmbeddedSqs s = await(sqs, failures);
            if (failures.isEmpty()) {
                return new EmbeddedEngines(k, d, s);
            }
            RuntimeException failure = failures.get(0);
            failures.subList(1, failures.size()).forEach(failure::addSuppressed);
            closeAll(failure, s, d, k);
            throw failure;
        } finally {
            starters.shutdown();
        }
    }

    private static <T> CompletableFuture<T> async(ExecutorService executor, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, executor);
    }

    private static <T> T await(CompletableFuture<T> future, List<RuntimeException> failures) {
        try {
            return future.join();
        } catch (CompletionException e) {
            failures.add(e.getCause() instanceof RuntimeException r ? r : e);
            return null;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedDynamoDb dynamoDb() {
        return dynamoDb;
    }

    public EmbeddedSqs sqs() {
        return sqs;
    }

    @Override
    public void close() {
        IllegalStateException failure = new IllegalStateException("Some engines did not stop cleanly");
        closeAll(failure, sqs, dynamoDb, kafka);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Closes each non-null resource in the given order, recording failures on {@code failure}. */
    static void closeAll(Throwable failure, AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
