package io.rulescaler.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which operation events send mail, and how mails look. Sending itself is configured by quarkus.mailer.*. */
@ConfigMapping(prefix = "rulescaler.notify")
public interface NotifyConfig {

    /** Send a mail when an operation starts. */
    @WithDefault("true")
    boolean onStart();

    /** Send a mail when an operation fails or is cancelled. */
    @WithDefault("true")
    boolean onFailure();

    /** Lines of the failing task's log included in a failure mail. */
    @WithDefault("40")
    int logTailLines();

    /** Put before every subject. */
    @WithDefault("[rulescaler]")
    String subjectPrefix();
}
