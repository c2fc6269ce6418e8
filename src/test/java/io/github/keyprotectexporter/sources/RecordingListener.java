package io.github.keyprotectexporter.sources;

import java.util.ArrayList;
import java.util.List;

/** Records every request report as "instance operation code". */
final class RecordingListener implements ApiRequestListener {

  private final List<String> requests = new ArrayList<>();

  @Override
  public synchronized void requestCompleted(String instanceId, String operation, String code) {
    requests.add(instanceId + " " + operation + " " + code);
  }

  synchronized List<String> requests() {
    return List.copyOf(requests);
  }
}
