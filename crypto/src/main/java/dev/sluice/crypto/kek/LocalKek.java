package dev.sluice.crypto.kek;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import dev.sluice.crypto.Keysets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Set;

/**
 * A KEK kept in a local file, for {@code ./sluice dev}: a cleartext Tink JSON keyset of AES256_GCM keys. Whoever reads
 * the file can unwrap every key, so it is made readable by its owner only, and it is never committed (it lives under
 * the gitignored data directory, and {@code --fresh} wipes it with the data it protects).
 *
 * <p>The file is made with mode 0600 from the start (a temporary file created with that mode, then renamed into place),
 * so there is no moment at which others may read it. A file others may read is refused when loaded. Making and
 * rotating hold a lock on {@code <file>.lock}, so two processes starting at once agree on one keyset.
 *
 * <p>Rotation adds a new primary key: new stream keys are wrapped by it, and those wrapped before still unwrap with
 * the old keys, which stay in the file. Nothing is re-encrypted.
 */
public final class LocalKek implements Kek {
  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  /** Held while this process makes or rotates a KEK file. */
  private static final Object IN_PROCESS = new Object();

  private final Path file;
  private final KeysetHandle keyset;
  private final Aead aead;

  private LocalKek(Path file, KeysetHandle keyset) {
    this.file = file;
    this.keyset = keyset;
    try {
      this.aead = Keysets.aead(keyset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("KEK file " + file + " holds no usable AEAD key", e);
    }
  }

  /**
   * The KEK in {@code file}; made there first (one fresh key, mode 0600, its directory created owner-only if absent)
   * if there is no file yet.
   *
   * @throws IllegalStateException if the file is not a Tink keyset, or others may read it
   * @throws UncheckedIOException if it cannot be read or written
   */
  public static LocalKek open(Path file) {
    try {
      if (Files.exists(file)) {
        return load(file);
      }
      return underLock(file, () -> Files.exists(file) ? load(file) : write(file, Keysets.newAes256Gcm()));
    } catch (IOException e) {
      throw new UncheckedIOException("KEK file " + file + " could not be read or made", e);
    }
  }

  /**
   * Adds a new primary key to the KEK in {@code file} and writes it back (mode 0600, replacing the file at once): what
   * the old keys wrapped still unwraps. The returned KEK wraps with the new key.
   */
  public static LocalKek rotate(Path file) {
    try {
      return underLock(file, () -> write(file, Keysets.withNewPrimary(load(file).keyset)));
    } catch (IOException e) {
      throw new UncheckedIOException("KEK file " + file + " could not be rotated", e);
    }
  }

  @Override
  public String uri() {
    return Keks.LOCAL + file;
  }

  @Override
  public byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return aead.encrypt(plaintext, associatedData);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    return aead.decrypt(wrapped, associatedData);
  }

  /** The id of the key that wraps now. */
  public int primaryKeyId() {
    return keyset.getPrimary().getId();
  }

  /** The ids of every key in the file: the primary, and those rotated out that still unwrap. */
  public Set<Integer> keyIds() {
    return Keysets.keyIds(keyset);
  }

  private static LocalKek load(Path file) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    if (!OWNER_READ_WRITE.containsAll(mode)) {
      throw new IllegalStateException("KEK file " + file + " may be used by others (mode "
          + PosixFilePermissions.toString(mode) + "): it must be readable by its owner only (chmod 600)");
    }
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return new LocalKek(file, TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("KEK file " + file + " is not a Tink JSON keyset", e);
    }
  }

  /** Writes {@code keyset} to a new 0600 file next to {@code file} and renames it over {@code file}. */
  private static LocalKek write(Path file, KeysetHandle keyset) throws IOException {
    String json;
    try {
      json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not write the KEK keyset", e);
    }
    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".kek-", ".tmp", ownerReadWrite());
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        // On disk before the rename makes it the KEK: a crash must not leave an empty KEK behind.
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return new LocalKek(file, keyset);
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  /**
   * Runs {@code call} holding an exclusive lock on {@code <file>.lock}, made (0600) if absent: against other processes
   * by the file lock, and against other threads of this one by a monitor (a JVM holds a file lock for all its threads).
   */
  private static <T> T underLock(Path file, IoCall<T> call) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
    Path lockFile = directory.resolve(file.getFileName() + ".lock");
    synchronized (IN_PROCESS) {
      return underFileLock(lockFile, call);
    }
  }

  private static <T> T underFileLock(Path lockFile, IoCall<T> call) throws IOException {
    try (FileChannel channel = FileChannel.open(lockFile,
        EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerReadWrite())) {
      FileLock lock = channel.lock();
      try {
        return call.call();
      } finally {
        lock.release();
      }
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> ownerReadWrite() {
    return PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
  }
}
