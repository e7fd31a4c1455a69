package dev.sluice.console.fix;

import dev.sluice.console.auth.SensitiveFields;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detail of a {@link FixActions#PATCH} audit entry, {@code fingerprint <id>: <patch>}: the group and the JSON
 * Patch as the operator sent it, cut after {@link #MAX_PATCH_TEXT} characters. Written and read only here, so that
 * the operations' values can be found again for a viewer ({@link #forViewer}).
 *
 * @param fingerprint the fingerprint group the patch was applied to
 * @param patchText the patch as compact JSON, possibly cut (then it ends in "…" and is no longer JSON)
 */
public record PatchDetail(String fingerprint, String patchText) {
  static final int MAX_PATCH_TEXT = 500;
  /** What a viewer sees instead of a patch that was cut: its values cannot be told from its paths any more. */
  static final String CUT_PATCH_HIDDEN = "[patch hidden: it is too long to show here without its values]";
  private static final Pattern FORM = Pattern.compile("fingerprint ([0-9a-f]{16}): (.*)", Pattern.DOTALL);

  /** The detail of a patch of group {@code fingerprint}, {@code patchText} cut if it is long. */
  public static PatchDetail of(String fingerprint, String patchText) {
    return new PatchDetail(fingerprint, patchText.length() <= MAX_PATCH_TEXT ? patchText
        : patchText.substring(0, MAX_PATCH_TEXT) + "…");
  }

  /** A detail {@link #text()} wrote, or empty for any other text. */
  public static Optional<PatchDetail> read(String detail) {
    Matcher m = FORM.matcher(detail);
    return m.matches() ? Optional.of(new PatchDetail(m.group(1), m.group(2))) : Optional.empty();
  }

  /** The audit entry's detail. */
  public String text() {
    return "fingerprint " + fingerprint + ": " + patchText;
  }

  /**
   * The detail as a viewer may see it: the value of each operation that lands at or under a value {@code maskData}
   * masks is replaced by the mask, and so is one that cannot be judged (its place exists in neither document). A value
   * is judged where it lands: it is put at its path into the event's data ({@code after}, else {@code before}, the
   * data the entry recorded), the data is masked, and the value is shown only if it came through unchanged. A patch
   * that was cut is hidden, since its values can no longer be found.
   *
   * @param before the item's data before the patch (JSON), as the entry recorded it
   * @param after the data after it
   * @param maskData masks event data as the viewer must see it
   */
  public String forViewer(Optional<String> before, Optional<String> after, UnaryOperator<Object> maskData) {
    Object parsed;
    try {
      parsed = Json.decodeValue(patchText);
    } catch (DecodeException cut) {
      return new PatchDetail(fingerprint, CUT_PATCH_HIDDEN).text();
    }
    if (!(parsed instanceof JsonArray operations)) {
      return new PatchDetail(fingerprint, CUT_PATCH_HIDDEN).text();
    }
    List<Object> documents = new ArrayList<>();
    after.flatMap(PatchDetail::json).ifPresent(documents::add);
    before.flatMap(PatchDetail::json).ifPresent(documents::add);
    // Always somewhere to put a value that replaces the whole data or an attribute (/id, /type, /key).
    documents.add(null);
    JsonArray shown = new JsonArray();
    for (Object o : operations) {
      if (o instanceof JsonObject op && op.containsKey("value")) {
        Optional<JsonPointer> path = op.getValue("path") instanceof String p ? JsonPointer.parse(p) : Optional.empty();
        boolean visible = path.isPresent() && visible(path.get(), op.getValue("value"), documents, maskData);
        shown.add(visible ? op : op.copy().put("value", SensitiveFields.MASK));
      } else {
        shown.add(o);
      }
    }
    return new PatchDetail(fingerprint, shown.encode()).text();
  }

  /** Whether {@code value}, put at {@code path} into the first of {@code documents} it fits in, survives masking. */
  static boolean visible(JsonPointer path, Object value, List<Object> documents, UnaryOperator<Object> maskData) {
    JsonPatch put = new JsonPatch(List.of(new JsonPatch.Operation(JsonPatch.Op.ADD, path, Optional.empty(), value)));
    for (Object data : documents) {
      // The event view a patch addresses (EventView): paths read /data/..., /id, /type, /key.
      JsonObject view = new JsonObject().put("data", data);
      if (put.apply(view) instanceof JsonPatch.Applied placed) {
        Object masked = placed.result();
        if (masked instanceof JsonObject v && v.containsKey("data")) {
          masked = v.copy().put("data", maskData.apply(v.getValue("data")));
        }
        JsonPatch unchanged = new JsonPatch(List.of(
            new JsonPatch.Operation(JsonPatch.Op.TEST, landing(path, view), Optional.empty(), value)));
        return unchanged.apply(masked) instanceof JsonPatch.Applied;
      }
    }
    return false;
  }

  /** Where a value added at {@code path} lands: "-" (the end of an array) is the array's size before the add. */
  private static JsonPointer landing(JsonPointer path, Object document) {
    if (path.isRoot() || !"-".equals(path.last())) {
      return path;
    }
    int size = JsonPatch.valueAt(document, path.parent()).map(p -> p instanceof JsonArray a ? a.size() : 0).orElse(0);
    List<String> tokens = new ArrayList<>(path.parent().tokens());
    tokens.add(Integer.toString(size));
    return new JsonPointer(tokens);
  }

  private static Optional<Object> json(String text) {
    try {
      return Optional.ofNullable(Json.decodeValue(text));
    } catch (DecodeException notJson) {
      return Optional.empty();
    }
  }
}
