package io.rulescaler.provider;

import java.util.Map;

/** A machine as a compute provider reports it, with the tags rulescaler put on it. */
public record Machine(String providerId, String name, String group, String zone, String address, String status,
                      Map<String, String> tags) {

    /** Tag keys rulescaler writes on every machine it creates. */
    public static final String TAG_CLUSTER = "rulescaler-cluster";
    public static final String TAG_NODE = "rulescaler-node";
    public static final String TAG_NODE_ID = "rulescaler-node-id";
    public static final String TAG_OPERATION = "rulescaler-operation";
    public static final String TAG_TASK = "rulescaler-task";
    public static final String TAG_ZONE = "rulescaler-zone";
    /** The installation (database) that created the machine; see {@link Installation}. */
    public static final String TAG_INSTALLATION = "rulescaler-installation";
}
