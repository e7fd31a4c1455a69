package dev.sluice.loadtests;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of the check every event pays on both ends of the log: validating {@code data} against its compiled
 * schema (the gateway before append, the wrapper before the handler).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidationBenchmark {
  private SchemaRegistry registry;
  private final String valid =
      "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":49.5,"
          + "\"description\":\"A heavy anvil for the workshop\"}";
  private final String invalid = "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"price\":-3}";

  @Setup
  public void setUp() {
    registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
  }

  @Benchmark
  public Validation validProduct() {
    return registry.validate("retail.product.created", valid);
  }

  @Benchmark
  public Validation invalidProduct() {
    return registry.validate("retail.product.created", invalid);
  }
}
