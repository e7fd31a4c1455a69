package dev.sluice.schemas;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * JSON numbers in the one form JSON Schema judges them by. Draft-07 compares numbers by value: {@code 1.0} is the
 * integer 1 (for {@code "type": "integer"}, for {@code maxItems: 2.0}, and inside {@code enum}/{@code const}), and
 * {@code 1.50} equals {@code 1.5}. org.json keeps how a number was written ({@code 1.0} is a {@link BigDecimal}, and
 * {@code -0} a {@link Double}), and everit decides "integer" by the Java type and compares nested values with
 * {@code equals}, so without this it calls {@code 1.0} a number and {@code [0.0]} different from {@code [0]}.
 *
 * <p>The canonical form of a number with no fractional part is an {@link Integer}, {@link Long} or {@link BigInteger}
 * (the types org.json gives an integer written without a fraction, so the two compare equal), of any other number its
 * {@link BigDecimal} without trailing zeros. An integral number of more than {@value #MAX_INTEGER_DIGITS} digits stays a
 * decimal: turning {@code 1e1000000000} into its digits would be the cost to avoid.
 */
public final class JsonNumbers {
  /** Most digits an integral number written with a fraction or an exponent is turned into an integer with. */
  public static final int MAX_INTEGER_DIGITS = 1000;

  private JsonNumbers() {}

  /** The canonical form of {@code n} (itself when it is canonical already). */
  public static Number canonical(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof BigInteger) {
      return n;
    }
    return canonical(n instanceof BigDecimal d ? d : new BigDecimal(n.toString()));
  }

  /** The canonical form of the number written as {@code text} (JSON number syntax). */
  public static Number canonical(String text) {
    return canonical(new BigDecimal(text));
  }

  private static Number canonical(BigDecimal d) {
    if (d.signum() == 0) {
      return 0;
    }
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() > 0 || (long) stripped.precision() - stripped.scale() > MAX_INTEGER_DIGITS) {
      return stripped;
    }
    BigInteger i = stripped.toBigIntegerExact();
    if (i.bitLength() < Integer.SIZE) {
      return i.intValue();
    }
    return i.bitLength() < Long.SIZE ? (Number) i.longValue() : i;
  }

  /**
   * {@code value} (org.json values) with every number canonical: {@code value} itself when all of them are already,
   * else a copy (nothing shared with {@code value} is changed). Recurses once per level of nesting, which the callers
   * bound (the registry limits a schema's nesting, the parser a data's).
   */
  public static Object canonicalized(Object value) {
    return allCanonical(value) ? value : copy(value);
  }

  private static boolean allCanonical(Object value) {
    if (value instanceof JSONObject o) {
      for (String key : o.keySet()) {
        if (!allCanonical(o.get(key))) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof JSONArray a) {
      for (int i = 0; i < a.length(); i++) {
        if (!allCanonical(a.get(i))) {
          return false;
        }
      }
      return true;
    }
    return !(value instanceof Number n) || canonical(n).equals(n);
  }

  private static Object copy(Object value) {
    if (value instanceof JSONObject o) {
      JSONObject out = new JSONObject();
      for (String key : o.keySet()) {
        out.put(key, copy(o.get(key)));
      }
      return out;
    }
    if (value instanceof JSONArray a) {
      JSONArray out = new JSONArray();
      for (int i = 0; i < a.length(); i++) {
        out.put(copy(a.get(i)));
      }
      return out;
    }
    return value instanceof Number n ? canonical(n) : value;
  }
}
