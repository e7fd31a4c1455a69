package dev.sluice.deploy.testing;

import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteException;
import com.almworks.sqlite4java.SQLiteStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;

/**
 * Searches every byte the engines stored under a data directory for values that must not be there. Each regular file
 * is searched whole, as it lies on disk (free pages, journals and index files included), and two kinds of file are
 * also decoded, because their raw bytes can hide a value: a SQLite database (DynamoDB Local's tables) is read cell by
 * cell, since a row larger than a page continues on overflow pages and a value cut by a page boundary is not in the
 * file in one piece; and a Kafka log segment is read record by record, since a compressed batch (the quarantine log
 * is lz4) holds its records' bytes only compressed.
 */
public final class StoredBytes {
  private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private StoredBytes() {}

  /** How the bytes were read. */
  public enum Source {
    /** A whole file, as on disk. */
    FILE,
    /** One cell of one row of a SQLite database. */
    SQLITE_CELL,
    /** The key, value or a header of one record of a Kafka log segment, decompressed. */
    KAFKA_RECORD
  }

  /** A value found: which one, in which form, read how, and where. */
  public record Hit(String value, String form, Source source, String where) {}

  /** Bytes read from under the directory, and where from. */
  private record Blob(Source source, String where, byte[] bytes) {}

  /** Every place under {@code dir} where any form of any of {@code values} occurs. */
  public static List<Hit> find(Path dir, Collection<ByteForms> values) {
    List<Hit> hits = new ArrayList<>();
    blobs(dir, blob -> {
      // ISO-8859-1 maps each byte to one char, so String.indexOf is a byte search (and a fast one).
      String haystack = new String(blob.bytes(), StandardCharsets.ISO_8859_1);
      for (ByteForms value : values) {
        for (ByteForms.Form form : value.forms()) {
          if (haystack.contains(new String(form.bytes(), StandardCharsets.ISO_8859_1))) {
            hits.add(new Hit(value.value(), form.name(), blob.source(), blob.where()));
          }
        }
      }
    });
    return hits;
  }

  /** The regular files under {@code dir} (which must exist), for a test to show what was searched. */
  public static List<Path> files(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void blobs(Path dir, Consumer<Blob> out) {
    for (Path file : files(dir)) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      out.accept(new Blob(Source.FILE, file.toString(), bytes));
      if (bytes.length >= SQLITE_HEADER.length
          && Arrays.equals(bytes, 0, SQLITE_HEADER.length, SQLITE_HEADER, 0, SQLITE_HEADER.length)) {
        sqliteCells(file, out);
      } else if (file.getFileName().toString().endsWith(".log")) {
        kafkaRecords(file, out);
      }
    }
  }

  /** Each cell of each row of each table, as its bytes (text as UTF-8, numbers as their text). */
  private static void sqliteCells(Path file, Consumer<Blob> out) {
    // sqlite4java's native library is loaded already: DynamoDB Local, in this JVM, opened the file with it.
    SQLiteConnection db = new SQLiteConnection(file.toFile());
    try {
      db.openReadonly();
      List<String> tables = new ArrayList<>();
      SQLiteStatement names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
      while (names.step()) {
        tables.add(names.columnString(0));
      }
      names.dispose();
      for (String table : tables) {
        SQLiteStatement rows = db.prepare("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"");
        long row = 0;
        while (rows.step()) {
          for (int c = 0; c < rows.columnCount(); c++) {
            Object cell = rows.columnValue(c);
            byte[] bytes = cell instanceof byte[] b ? b : String.valueOf(cell).getBytes(StandardCharsets.UTF_8);
            out.accept(new Blob(Source.SQLITE_CELL,
                file + " " + table + "#" + row + "." + rows.getColumnName(c), bytes));
          }
          row++;
        }
        rows.dispose();
      }
    } catch (SQLiteException e) {
      throw new IllegalStateException("cannot read the SQLite database " + file, e);
    } finally {
      db.dispose();
    }
  }

  /** Each record's key, value and header values, decompressed, of every batch of the segment. */
  private static void kafkaRecords(Path file, Consumer<Blob> out) {
    try (FileRecords segment = FileRecords.open(file.toFile(), false)) {
      for (FileChannelRecordBatch batch : segment.batches()) {
        for (Record record : batch) {
          String at = file + " @" + record.offset();
          if (record.hasKey()) {
            out.accept(new Blob(Source.KAFKA_RECORD, at + " key", bytes(record.key())));
          }
          if (record.hasValue()) {
            out.accept(new Blob(Source.KAFKA_RECORD, at + " value", bytes(record.value())));
          }
          for (Header header : record.headers()) {
            if (header.value() != null) {
              out.accept(new Blob(Source.KAFKA_RECORD, at + " header " + header.key(), header.value()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Kafka log segment " + file, e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
