package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.http.ListenAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code [host]:port} listen addresses, reporting a bad one as a command-line error. */
final class ListenAddressConverter implements ITypeConverter<ListenAddress> {

  @Override
  public ListenAddress convert(String value) {
    try {
      return ListenAddress.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
