package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.DynamoQuarantineCodec;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.storm.Storm;
import dev.sluice.quarantine.storm.StormBreaker;
import dev.sluice.quarantine.storm.StormState;
import dev.sluice.schemas.catalog.OrderingPolicy;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The storm breaker against the real engines: a consumer bug that rejects every event of a 2,000-event partition
 * writes fewer items than the breaker's minimum (not 2,000), the partition is paused with its committed offset at the
 * first record held, and the storm is in the storms table and on the console's API, where the stack's console reads
 * that table. An operator's resume with the consumer fixed lets every remaining event be handled, none lost; a
 * quarantine-all quarantines the rest one by one; a restart while the storm is TRIPPED stays paused. Both front ends.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(180)
class StormBreakerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int EVENTS = 2_000;
  /** The defaults' share and window, and their minimum: more than half of the last 200 records, and at least 50. */
  private static final StormBreaker BREAKER = StormBreaker.defaults();
  private static final Pattern SAMPLE = Pattern.compile("^(sluice_[a-z_]+)\\{([^}]*)} ([0-9.eE+-]+)$");

  private final Http viewer = Http.viewer();
  private final Http operator = Http.operator();
  private WrapperHarness h;

  /** How the partition's records are handled: one at a time here; {@link ConcurrentStormBreakerIT} side by side. */
  Handling handling() {
    return Handling.ORDERED;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  /** A group whose breaker keeps its storms where the stack's console reads them; polls of 100 records. */
  private WrapperHarness harness(Engines engines, Stack stack) throws Exception {
    h = new WrapperHarness(engines, OrderingPolicy.KEY_ORDERED, 1, handling().tune(
        c -> c.with(d -> d.maxPollRecords = 100).withStormBreaker(BREAKER)));
    h.storms(stack.stormsTable());
    return h;
  }

  /**
   * {@link #EVENTS} events to partition 0, each of a key of its own, with the handler's bug on. (On a key-ordered
   * stream the items written before the trip hold their keys: later events of those keys would be parked behind them
   * until the items are redriven, as always.)
   */
  private void produceWithTheBugOn() throws Exception {
    h.handler.rejectEverything(true);
    for (int i = 0; i < EVENTS; i++) {
      h.produce(0, "p" + i, "ok");
    }
  }

  private Storm awaitStorm(StormState state) {
    return Eventually.await("a " + state + " storm of " + h.group, WAIT, () -> storms().stream()
        .filter(s -> s.state() == state).findFirst());
  }

  private List<Storm> storms() {
    try {
      return h.stormStore().ofGroup(h.group).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The offsets of the group's items, read from its own table. */
  private Set<Long> itemOffsets() {
    Set<Long> offsets = new TreeSet<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = h.dynamo.scan(b -> {
        b.tableName(h.table).consistentRead(true);
        if (from != null) {
          b.exclusiveStartKey(from);
        }
      });
      page.items().forEach(item -> offsets.add(Long.parseLong(item.get(DynamoQuarantineCodec.OFFSET).n())));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return offsets;
  }

  /**
   * The value of one of the group's meters whose labels include {@code label} (say, {@code partition="0"}), as
   * Prometheus scrapes it; empty while it is not there.
   */
  private Optional<Double> meter(String name, String label) {
    for (String line : h.meters.scrape().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals(name) && m.group(2).contains("group=\"" + h.group + "\"")
          && m.group(2).contains(label)) {
        return Optional.of(Double.parseDouble(m.group(3)));
      }
    }
    return Optional.empty();
  }

  private void awaitHeldGauge(double value) {
    Eventually.await("sluice_consumer_storm_held " + value, WAIT,
        () -> meter("sluice_consumer_storm_held", "partition=\"0\"").filter(v -> v == value));
  }

  private String stormUrl(Stack stack, Storm storm) {
    return stack.consoleUrl() + "/api/v1/storms/" + h.group + "/" + storm.id();
  }

  private JsonObject act(Stack stack, Storm storm, String action) {
    Http.Response r = operator.post(stormUrl(stack, storm) + "/" + action, "application/json", "{}");
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /**
   * The storm tripped as a bug that rejects every event trips it: by its fingerprint (the event type, the handler's
   * rejection, the exception class), after exactly the minimum of failures, of as many records judged, none written
   * for the record that tripped it or any held after; the partition is held, its commit never past the first record
   * held (in offset order, exactly there; with concurrency a record of another key below it may be held too).
   */
  private Storm assertTripped() {
    Storm storm = awaitStorm(StormState.TRIPPED);
    assertEquals("retail.product.created", storm.fingerprint().type());
    assertEquals(QuarantineReason.HANDLER_REJECTED, storm.fingerprint().reason());
    assertEquals("dev.sluice.quarantine.retry.PoisonPill", storm.fingerprint().locus());
    assertEquals(BREAKER.minFailures(), storm.trip().failures());
    assertEquals(BREAKER.minFailures(), storm.trip().records());
    assertEquals(0, storm.where().partition());
    assertTrue(storm.trip().sampleItemId().isPresent(), "an item of the storm written before it tripped");
    awaitHeldGauge(1);
    long first = storm.trip().firstHeldOffset();
    if (handling() == Handling.ORDERED) {
      h.awaitCommitted(0, first, WAIT);
    }
    assertCommitHeld(storm);
    Set<Long> items = itemOffsets();
    assertEquals(BREAKER.minFailures() - 1, items.size(),
        "one item per failure before the trip, none after: not " + EVENTS + " items");
    assertTrue(!items.contains(first), "no item of the record held: " + items);
    if (handling() == Handling.ORDERED) {
      assertTrue(items.stream().allMatch(o -> o < first), "no item past the first record held: " + items);
    }
    return storm;
  }

  /** The group's committed offset is not past the first record held; in offset order, it is that record. */
  private void assertCommitHeld(Storm storm) {
    long committed = h.committed(0);
    long first = storm.trip().firstHeldOffset();
    assertTrue(committed <= first, "committed " + committed + ", the first record held is " + first);
    if (handling() == Handling.ORDERED) {
      assertEquals(first, committed);
    }
  }

  /**
   * The group committed every event of the partition, and each is either handled or an item; answers the items'
   * offsets.
   */
  private Set<Long> assertNothingLost() {
    h.awaitCommitted(0, EVENTS, WAIT);
    Set<Long> items = itemOffsets();
    Set<Long> handledOrItem = new TreeSet<>(items);
    handledOrItem.addAll(h.handler.appliedOffsets);
    assertEquals(LongStream.range(0, EVENTS).boxed().collect(Collectors.toCollection(TreeSet::new)), handledOrItem,
        "every offset handled or quarantined");
    return items;
  }

  @Test
  void aBugThatRejectsEveryEventTripsTheBreakerAndAResumeWithTheFixLetsEveryRemainingEventBeHandled(Engines engines,
      Stack stack) throws Exception {
    harness(engines, stack).startConsumer();
    produceWithTheBugOn();
    Storm storm = assertTripped();
    assertEquals(1.0, meter("sluice_consumer_storm_tripped_total", "reason=\"HANDLER_REJECTED\"").orElseThrow());

    // Any role sees it on the console, which reads the same table.
    JsonObject shown = Eventually.await("the storm on the console", WAIT, () -> {
      Http.Response r = viewer.get(stack.consoleUrl() + "/api/v1/storms?limit=500");
      return r.status() != 200 ? Optional.empty() : r.json().getJsonArray("storms").stream()
          .map(JsonObject.class::cast).filter(s -> s.getString("id").equals(storm.id())).findFirst();
    });
    assertEquals(h.group, shown.getString("group"));
    assertEquals("TRIPPED", shown.getString("state"));
    assertEquals(storm.trip().firstHeldOffset(), shown.getLong("firstHeldOffset"));
    assertEquals(BREAKER.minFailures(), shown.getInteger("failures"));

    h.handler.rejectEverything(false);
    JsonObject resumed = act(stack, storm, "resume");
    assertEquals("RESUMED", resumed.getString("state"));
    assertEquals("dev-operator", resumed.getString("changedBy"));
    assertEquals(BREAKER.minFailures() - 1, assertNothingLost().size(), "no item after the resume");
    awaitHeldGauge(0);
  }

  @Test
  void quarantiningEverythingQuarantinesTheRestOneByOne(Engines engines, Stack stack) throws Exception {
    harness(engines, stack).startConsumer();
    produceWithTheBugOn();
    Storm storm = assertTripped();

    JsonObject chosen = act(stack, storm, "quarantine-all");
    assertEquals("QUARANTINE_ALL", chosen.getString("state"));
    h.awaitCommitted(0, EVENTS, WAIT);
    assertEquals(EVENTS, itemOffsets().size(), "every event quarantined, one item each");
    assertEquals(List.of(), h.handler.appliedOffsets, "the bug is still there: nothing was handled");
    assertEquals(StormState.QUARANTINE_ALL, storms().get(0).state(), "and the breaker did not trip again");
  }

  @Test
  void aRestartWhileTheStormIsTrippedStaysPausedUntilTheOperatorResumes(Engines engines, Stack stack)
      throws Exception {
    String first = harness(engines, stack).startConsumer();
    produceWithTheBugOn();
    Storm storm = assertTripped();
    h.stopConsumer(first);
    // Stopped: its last commit is made, not past the first record held.
    assertCommitHeld(storm);
    long resumeFrom = h.committed(0);

    h.handler.rejectEverything(false);
    h.startConsumer();
    // The new owner read the storm before it handled anything, and holds the partition.
    awaitHeldGauge(1);
    Instant resumedAt = Instant.now();
    int callsBefore = h.handler.calls.size();
    act(stack, storm, "resume");
    assertNothingLost();
    List<ScriptedHandler.Call> after = h.handler.calls.subList(callsBefore, h.handler.calls.size());
    assertTrue(after.stream().allMatch(c -> !c.at().isBefore(resumedAt)),
        "no record was handled after the restart until the storm was resumed");
    assertEquals(resumeFrom, after.stream().mapToLong(ScriptedHandler.Call::offset).min().orElseThrow(),
        "taken up again from the group's committed offset");
  }

  @Test
  void thePlainPollLoopHoldsAStormAndResumesAsWell(Engines engines, Stack stack) throws Exception {
    harness(engines, stack).startPollLoop();
    produceWithTheBugOn();
    Storm storm = assertTripped();
    h.handler.rejectEverything(false);
    act(stack, storm, "resume");
    assertNothingLost();
  }
}
