package dev.sluice.deploy.config;

/** The parts of Sluice a launcher runs; each has its own section of the configuration. */
public enum Part {
  GATEWAY, CONSOLE, DEMO
}
