package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionStartsTest {
  @Test
  void theSpreadRunsFromTheFirstPartitionsFirstRecordToTheLastPartitions() {
    assertEquals(250.0, PartitionStarts.spreadMs(List.of(1_000_000_000L, 1_250_000_000L, 1_100_000_000L)), 1e-9);
  }

  @Test
  void oneOrNoPartitionHasNoSpread() {
    assertEquals(0.0, PartitionStarts.spreadMs(List.of(5L)));
    assertEquals(0.0, PartitionStarts.spreadMs(List.of()));
  }
}
