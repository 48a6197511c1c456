package io.rulescaler.cluster.deployable;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.ClusterSpec.NodeTemplate;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A deployable type: a reusable node recipe read from {@code deployables/<name>.yaml} (a variant of
 * the node template per provider profile, the chains, default parameters) that clusters name with
 * {@code deployable: <name>} instead of repeating it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployable(
        @Size(max = 64) @Pattern(regexp = NAME_PATTERN, message = "must be a deployable name (lowercase letters, digits, '.', '_', '-')")
        String name,
        @Size(max = 1024) String description,
        @NotEmpty(message = "must name at least one provider profile with its node template")
        @Size(max = 32) Map<@Pattern(regexp = ClusterSpec.PROFILE_PATTERN, message = "must be a provider profile name like 'stub' or 'aws-ec2'") String,
                @NotNull @Valid NodeTemplate> profiles,
        @Valid ClusterSpec.Chains chains,
        @Size(max = 256) Map<@Pattern(regexp = ClusterSpec.PARAMETER_PATTERN, message = "parameter names are 1-128 letters, digits, '.', '_' or '-', starting with a letter") String,
                @NotNull @Size(max = 16_384) String> parameters) {

    /** What a deployable's name (its file name without {@code .yaml}) looks like. */
    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]*";

    /** The same deployable under another name (the file name decides it). */
    public Deployable withName(String newName) {
        return new Deployable(newName, description, profiles, chains, parameters);
    }

    /** Default parameters, never null. */
    public Map<String, String> parametersOrEmpty() {
        return parameters == null ? Map.of() : parameters;
    }
}
