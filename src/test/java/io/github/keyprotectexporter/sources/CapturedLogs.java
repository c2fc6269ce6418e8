package io.github.keyprotectexporter.sources;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures every log event at TRACE and above until closed. */
final class CapturedLogs implements AutoCloseable {

  private static final String PROJECT_LOGGER = "io.github.keyprotectexporter";

  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger project = (Logger) LoggerFactory.getLogger(PROJECT_LOGGER);
  private final Level rootLevel = root.getLevel();
  private final Level projectLevel = project.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  CapturedLogs() {
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
    project.setLevel(Level.TRACE);
  }

  synchronized List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  /** Returns the formatted messages of events at {@code level}. */
  List<String> messages(Level level) {
    return events().stream()
        .filter(event -> event.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.toList());
  }

  /** Returns every message, argument and attached exception text, one per line. */
  String allText() {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : events()) {
      text.append(event.getFormattedMessage()).append('\n');
      Object[] arguments = event.getArgumentArray();
      if (arguments != null) {
        for (Object argument : arguments) {
          text.append(argument).append('\n');
        }
      }
      for (IThrowableProxy thrown = event.getThrowableProxy();
          thrown != null;
          thrown = thrown.getCause()) {
        text.append(thrown.getClassName()).append(": ").append(thrown.getMessage()).append('\n');
      }
    }
    return text.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(rootLevel);
    project.setLevel(projectLevel);
    appender.stop();
  }
}
