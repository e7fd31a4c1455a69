package dev.sluice.schemas.registry;

import java.util.function.Supplier;

/**
 * A ceiling on the work schema validation may do, counted in deterministic steps rather than time, so that the gateway
 * and every consumer reach the same verdict on the same event whatever their machines and load.
 *
 * <p>What is counted is the work whose cost grows faster than the event's size:
 *
 * <ul>
 *   <li>matching a string against a {@code pattern} (or a member name against a {@code patternProperties} key) costs
 *       the string's length times the pattern's program size ({@link PatternProgram}), RE2J's worst case;
 *   <li>{@code uniqueItems} compares every pair of items, so a type whose schema uses it is charged, before
 *       validation, (n - 1) times the weight of each array of n items in the data (a bound on those comparisons).
 * </ul>
 *
 * <p>Everything else everit does is linear in the data, which the readers' size limits bound.
 *
 * <p>A meter is used by one thread at a time. The pattern handlers shared by every validation find the meter of the
 * validation in progress through {@link #during}: everit calls them with the string only, so the meter travels on the
 * validating thread.
 */
public final class CostMeter {
  /**
   * The most steps one event's validation may take: about 0.15 s of RE2J's slowest matching on this project's
   * reference machine (13.5 ns a step, measured on a 20,203-instruction program over 5,001 characters), and far
   * above what real events need (a 1 KiB event against a schema of ordinary patterns takes tens of thousands).
   */
  public static final long EVENT_CEILING = 10_000_000L;

  private static final ThreadLocal<CostMeter> CURRENT = new ThreadLocal<>();

  private final long ceiling;
  private long spent;
  private long largestCharge;

  private CostMeter(long ceiling) {
    if (ceiling < 1) {
      throw new IllegalArgumentException("a cost ceiling must be positive, was " + ceiling);
    }
    this.ceiling = ceiling;
  }

  /** A meter that refuses work once {@code ceiling} steps are spent. */
  public static CostMeter withCeiling(long ceiling) {
    return new CostMeter(ceiling);
  }

  /** A meter with the per-event ceiling. */
  public static CostMeter forOneEvent() {
    return new CostMeter(EVENT_CEILING);
  }

  /**
   * Spends {@code steps} if they fit. Once a charge does not fit the meter is exhausted: every later charge is refused
   * too, so a validation stops doing costly work as soon as it is over its ceiling.
   *
   * @return whether the work may be done
   */
  public boolean charge(long steps) {
    largestCharge = Math.max(largestCharge, steps);
    if (exhausted() || steps > ceiling - spent) {
      spent = ceiling + 1;
      return false;
    }
    spent += steps;
    return true;
  }

  public boolean exhausted() {
    return spent > ceiling;
  }

  public long ceiling() {
    return ceiling;
  }

  /** The largest single charge asked of this meter, whether or not it fitted. */
  public long largestCharge() {
    return largestCharge;
  }

  /** Runs {@code work} with this meter as the thread's current one (restoring the previous one after). */
  <T> T during(Supplier<T> work) {
    CostMeter previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /**
   * Charges the current validation's meter. Outside a validation (a caller that runs everit directly), each charge is
   * judged on its own against the per-event ceiling, so no single match is ever unbounded.
   */
  static boolean chargeCurrent(long steps) {
    CostMeter meter = CURRENT.get();
    return meter == null ? steps <= EVENT_CEILING : meter.charge(steps);
  }
}
