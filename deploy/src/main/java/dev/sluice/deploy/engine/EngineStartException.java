package dev.sluice.deploy.engine;

/** An embedded engine could not start; the message names the engine and its port. */
public final class EngineStartException extends RuntimeException {
    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public EngineStartException(String message) {
        super(message);
    }
}
