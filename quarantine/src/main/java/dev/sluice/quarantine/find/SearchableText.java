package dev.sluice.quarantine.find;

import dev.sluice.quarantine.store.QuarantineItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of an item that free text ({@link ItemFilter#text()}) is matched in. Free text must never match inside
 * a value the asker may not see (or a search would recover it substring by substring), so the console gives each
 * asker the text it would show them; {@link #ALL} is for whoever may see everything.
 */
@FunctionalInterface
public interface SearchableText {
  /** The raw payload as UTF-8 text, and the operator's edited data when there is some. */
  SearchableText ALL = item -> {
    List<String> out = new ArrayList<>(2);
    out.add(new String(item.payload(), StandardCharsets.UTF_8));
    item.editedData().ifPresent(out::add);
    return out;
  };

  /** The texts free text may match in; none when nothing of the item may be matched. */
  List<String> of(QuarantineItem item);
}
