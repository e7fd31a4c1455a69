package dev.sluice.deploy.engine;

/** One line of the "what runs where" table printed at start-up. */
public record Endpoint(String name, String address, String detail) {
}
