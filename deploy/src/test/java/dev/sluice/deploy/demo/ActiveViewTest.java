package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.demo.ActiveView.AlreadyActive;
import dev.sluice.deploy.demo.ActiveView.Pointer;
import dev.sluice.deploy.demo.ActiveView.Refused;
import dev.sluice.deploy.demo.ActiveView.Switched;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The blue/green switch's decision, before anything is written. */
class ActiveViewTest {
  private static final Pointer BLUE = new Pointer("sluice-demo-catalog", "catalog-builder", 1);

  @Test
  void aGroupStillReplayingHistoryIsNotSwitchedTo() {
    assertEquals(new Refused("r-1"), ActiveView.decide(Optional.of("r-1"), Optional.of(BLUE),
        "sluice-demo-catalog-v2", "catalog-builder-v2"));
    assertEquals(new Refused("r-1"), ActiveView.decide(Optional.of("r-1"), Optional.empty(),
        "sluice-demo-catalog-v2", "catalog-builder-v2"), "not even as the first view chosen");
  }

  @Test
  void aCaughtUpViewIsSwitchedToWithTheNextVersion() {
    assertEquals(new Switched(Optional.of(BLUE), new Pointer("sluice-demo-catalog-v2", "catalog-builder-v2", 2)),
        ActiveView.decide(Optional.empty(), Optional.of(BLUE), "sluice-demo-catalog-v2", "catalog-builder-v2"));
  }

  @Test
  void theFirstSwitchStartsAtVersionOne() {
    assertEquals(new Switched(Optional.empty(), new Pointer("sluice-demo-catalog-v2", "catalog-builder-v2", 1)),
        ActiveView.decide(Optional.empty(), Optional.empty(), "sluice-demo-catalog-v2", "catalog-builder-v2"));
  }

  @Test
  void theActiveViewIsNotWrittenAgain() {
    assertEquals(new AlreadyActive(BLUE),
        ActiveView.decide(Optional.empty(), Optional.of(BLUE), "sluice-demo-catalog", "catalog-builder"));
  }
}
