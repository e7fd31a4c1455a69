package dev.sluice.schemas.catalog;

/** The catalog or one of its schemas cannot be loaded: a start-up error, never a per-event one. */
public final class CatalogException extends RuntimeException {
  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
