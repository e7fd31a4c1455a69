package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumerSlotsTest {
  /** Tasks "queued on the context", run when the test says. */
  private final ArrayDeque<Runnable> context = new ArrayDeque<>();

  private void runContext() {
    Runnable task;
    while ((task = context.poll()) != null) {
      task.run();
    }
  }

  @Test
  void aWorkerRefusedASlotIsWokenOnTheContextOnceOneIsGivenBack() {
    ConsumerSlots slots = new ConsumerSlots(2, context::add);
    List<String> woken = new ArrayList<>();
    assertTrue(slots.take(() -> woken.add("x")));
    assertTrue(slots.take(() -> woken.add("y")));
    assertFalse(slots.take(() -> woken.add("first")));
    assertFalse(slots.take(() -> woken.add("second")));

    slots.give();
    // Never inside give: the worker that gave the slot back is still on the stack.
    assertEquals(List.of(), woken);
    runContext();
    // Only one slot was free, but a woken worker that does not take it leaves it to the next in line.
    assertEquals(List.of("first", "second"), woken);
  }

  @Test
  void wakingStopsOnceEverySlotIsTakenAgain() {
    ConsumerSlots slots = new ConsumerSlots(1, context::add);
    List<String> woken = new ArrayList<>();
    slots.take(() -> { });
    Runnable[] second = new Runnable[1];
    Runnable first = () -> {
      woken.add("first");
      slots.take(() -> woken.add("first again"));
    };
    second[0] = () -> woken.add("second");
    assertFalse(slots.take(first));
    assertFalse(slots.take(second[0]));

    slots.give();
    runContext();
    assertEquals(List.of("first"), woken);
    assertEquals(1, slots.taken());
    slots.give();
    runContext();
    assertEquals(List.of("first", "second"), woken);
  }
}
