package io.rulescaler.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The Alertmanager webhook body, version 4, as Alertmanager 0.25 sends it. Unknown fields are
 * ignored (newer Alertmanagers add some); the fields rules need are checked by {@link AlertValidation}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertmanagerPayload(String version, String groupKey, Integer truncatedAlerts, String status, String receiver,
                                  Map<String, String> groupLabels, Map<String, String> commonLabels,
                                  Map<String, String> commonAnnotations, String externalURL, List<Item> alerts) {

    /** One alert of the group. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
                       String endsAt, String generatorURL, String fingerprint) {
    }
}
