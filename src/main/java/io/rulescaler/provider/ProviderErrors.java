package io.rulescaler.provider;

import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import org.jclouds.aws.AWSResponseException;
import org.jclouds.compute.RunNodesException;
import org.jclouds.http.HttpResponseException;
import org.jclouds.rest.AuthorizationException;
import org.jclouds.rest.InsufficientResourcesException;

/** Turns provider exceptions into failures a person can act on, and says which are worth retrying. */
public final class ProviderErrors {

    private ProviderErrors() {
    }

    /** The kinds of provider failure the runner distinguishes. */
    public enum Kind { AUTH, QUOTA, CAPACITY, TIMEOUT, TEMPLATE, OTHER }

    public static ProviderException translate(String profile, String what, Throwable e) {
        Throwable root = e;
        if (e instanceof RunNodesException rne && !rne.getNodeErrors().isEmpty()) {
            root = rne.getNodeErrors().values().iterator().next();
        } else if (e instanceof RunNodesException rne && !rne.getExecutionErrors().isEmpty()) {
            root = rne.getExecutionErrors().values().iterator().next();
        }
        while (root.getCause() != null && root.getCause() != root && !(root instanceof AuthorizationException)
                && !(root instanceof InsufficientResourcesException) && !(root instanceof HttpResponseException)) {
            root = root.getCause();
        }
        return of(profile, what, classify(root), root.getMessage(), e);
    }

    public static ProviderException of(String profile, String what, Kind kind, String detail, Throwable cause) {
        String d = detail == null ? "" : ": " + detail;
        return switch (kind) {
            case AUTH -> new ProviderException("provider profile '" + profile + "' refused the credentials while trying to "
                    + what + d + "; check rulescaler.compute.profiles." + profile + ".identity/credential", false, cause);
            case QUOTA -> new ProviderException("provider profile '" + profile + "' is out of quota while trying to " + what + d
                    + "; raise the account's instance quota or lower the cluster's max size", false, cause);
            case CAPACITY -> new ProviderException("provider profile '" + profile + "' has no capacity for " + what + d
                    + "; retrying; if it persists choose another zone or instance size", true, cause);
            case TIMEOUT -> new ProviderException("provider profile '" + profile + "' did not answer in time while trying to "
                    + what + d + "; retrying; check the provider's status page", true, cause);
            case TEMPLATE -> new ProviderException("no image or hardware of provider profile '" + profile + "' matches the "
                    + "cluster's node template while trying to " + what + d + "; fix template.image/minCores/minRamMb", false, cause);
            case OTHER -> new ProviderException("provider profile '" + profile + "' failed to " + what + d, true, cause);
        };
    }

    static Kind classify(Throwable t) {
        if (t instanceof AWSResponseException aws && aws.getError() != null && aws.getError().getCode() != null) {
            return awsKind(aws.getError().getCode());
        }
        String text = (t.getMessage() + " " + (t instanceof HttpResponseException http ? http.getContent() : "")).toLowerCase();
        if (text.contains("quota exceeded") || text.contains("exceeds quota")
                || t instanceof HttpResponseException http && http.getResponse() != null && http.getResponse().getStatusCode() == 413) {
            return Kind.QUOTA; // OpenStack Nova answers 403 (jclouds: AuthorizationException) or 413 "Quota exceeded for instances"
        }
        if (text.contains("keypair") && text.contains("doesn't exist") || text.contains("cannot find security group")) {
            return Kind.TEMPLATE; // jclouds checks key pair and security groups of the template before creating
        }
        if (t instanceof AuthorizationException) {
            return Kind.AUTH;
        }
        if (t instanceof InsufficientResourcesException) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            return m.contains("quota") || m.contains("limit") ? Kind.QUOTA : Kind.CAPACITY;
        }
        if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
            return Kind.TIMEOUT;
        }
        if (t instanceof NoSuchElementException) {
            return Kind.TEMPLATE;
        }
        return Kind.OTHER;
    }

    /** EC2 error codes (API reference, "Error codes for the Amazon EC2 API") by what a person must do. */
    private static Kind awsKind(String code) {
        if (code.equals("AuthFailure") || code.equals("UnauthorizedOperation") || code.startsWith("InvalidClientTokenId")
                || code.equals("SignatureDoesNotMatch") || code.equals("OptInRequired")) {
            return Kind.AUTH;
        }
        if (code.endsWith("LimitExceeded") && !code.equals("RequestLimitExceeded")) {
            return Kind.QUOTA; // InstanceLimitExceeded, VcpuLimitExceeded, ...
        }
        if (code.equals("InsufficientInstanceCapacity") || code.equals("InsufficientHostCapacity") || code.equals("Unavailable")
                || code.equals("InsufficientCapacity")) {
            return Kind.CAPACITY;
        }
        if (code.equals("RequestLimitExceeded") || code.equals("ServiceUnavailable") || code.equals("InternalError")) {
            return Kind.TIMEOUT; // throttled or briefly down: retry with backoff
        }
        if (code.startsWith("InvalidAMIID") || code.equals("InvalidParameterValue") || code.startsWith("InvalidKeyPair")
                || code.startsWith("InvalidGroup") || code.startsWith("InvalidSubnet")) {
            return Kind.TEMPLATE;
        }
        return Kind.OTHER;
    }
}
