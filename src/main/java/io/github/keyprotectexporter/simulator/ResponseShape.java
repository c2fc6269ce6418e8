package io.github.keyprotectexporter.simulator;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The wrapper around the list of units in a crypto-units response. */
public enum ResponseShape {
  /** A bare JSON array, as the crypto-units API returns it. */
  ARRAY("array"),
  /** {@code {"crypto_units": [...]}}, as IBM's Go client models the list. */
  CRYPTO_UNITS("crypto_units"),
  /** {@code {"metadata": {...}, "resources": [...]}}, as other Key Protect endpoints return. */
  RESOURCES("resources");

  private final String yamlName;

  ResponseShape(String yamlName) {
    this.yamlName = yamlName;
  }

  /** Returns the name used for this shape in scenario files. */
  public String yamlName() {
    return yamlName;
  }

  /** Finds the shape with the given scenario-file name, case-sensitively. */
  public static Optional<ResponseShape> fromYamlName(String name) {
    return Arrays.stream(values()).filter(shape -> shape.yamlName.equals(name)).findFirst();
  }

  /** Returns all scenario-file names, for error messages. */
  public static String yamlNames() {
    return Arrays.stream(values()).map(ResponseShape::yamlName).collect(Collectors.joining(", "));
  }
}
