package dev.sluice.quarantine.consumer;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.SealInput;
import dev.sluice.crypto.seal.Sealed;
import dev.sluice.crypto.seal.Sealer;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records of the default catalog's {@code retail.photographer.registered} (its name and e-mail marked sensitive, its
 * id the data subject) as the gateway appends them: sealed with the real {@link Sealer}, with the
 * {@code sluice-sealed} header; or in the clear, as a producer bypassing the gateway would write them.
 */
final class SealedRecords {
  static final String STREAM = "retail";
  static final String TYPE = "retail.photographer.registered";
  static final String NAME = "Ann Q. Example";
  static final String EMAIL = "ann.secret@example.com";
  static final String PLAIN = "{\"id\":\"ph-1\", \"name\":\"" + NAME + "\",\"email\":\"" + EMAIL + "\"}";

  final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());

  /** One record: its headers, and its data as its value. */
  record Rec(List<KafkaHeader> headers, String data) {
    byte[] value() {
      return data.getBytes(StandardCharsets.UTF_8);
    }

    /** The same record with other data and the same headers (e.g. a ciphertext changed). */
    Rec withData(String other) {
      return new Rec(headers, other);
    }

    /** The same record with its {@code sluice-sealed} header's value replaced (or removed, for null). */
    Rec withSealHeader(byte[] value) {
      List<KafkaHeader> out = new ArrayList<>(headers.stream().filter(h -> !h.key().equals(SealHeader.NAME)).toList());
      if (value != null) {
        out.add(new KafkaHeader(SealHeader.NAME, value));
      }
      return new Rec(out, data);
    }

    SealHeader sealHeader() {
      KafkaHeader h = headers.stream().filter(x -> x.key().equals(SealHeader.NAME)).findFirst().orElseThrow();
      return ((SealHeader.Parsed.Ok) SealHeader.parse(h.value())).header();
    }
  }

  static CloudEvent event(String id, String type, String data) {
    return new CloudEvent("1.0", id, "/test", type, "application/json", null, null, null, Map.of(), data);
  }

  /** {@code data} of event {@code id} sealed with {@code keys}, as the gateway appends it. */
  Rec sealed(SubjectKeys keys, String id, String data) {
    MarkedLocations.Located located = MarkedLocations.locate(
        registry.state().latest(TYPE).orElseThrow().marks(), data).orElseThrow();
    Sealed sealed = new Sealer(keys).seal(new SealInput(new EventRef(STREAM, "/test", id, TYPE),
        ((DataSubject.Valid) located.subject()).value(), data, located.values())).result();
    List<KafkaHeader> headers = new ArrayList<>(CloudEventKafkaBinding.headers(event(id, TYPE, sealed.data())));
    headers.add(new KafkaHeader(SealHeader.NAME, sealed.header().orElseThrow().encode()));
    return new Rec(List.copyOf(headers), sealed.data());
  }

  /** {@code data} of event {@code id} of {@code type} as it is, without a {@code sluice-sealed} header. */
  static Rec plain(String id, String type, String data) {
    return new Rec(CloudEventKafkaBinding.headers(event(id, type, data)), data);
  }

  /** The ciphertext (a JSON string, with its quotes) at member {@code name} of sealed data. */
  static String ciphertextOf(String sealedData, String name) {
    int at = sealedData.indexOf("\"" + name + "\":\"sluice:v1:");
    if (at < 0) {
      throw new IllegalArgumentException("no ciphertext at " + name + " in " + sealedData);
    }
    int start = at + name.length() + 3;
    return sealedData.substring(start, sealedData.indexOf('"', start + 1) + 1);
  }
}
