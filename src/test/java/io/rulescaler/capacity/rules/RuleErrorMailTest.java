package io.rulescaler.capacity.rules;

import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.orchestration.OrchestrationTestResources;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rule set that stops compiling is mailed, once, to the people of the clusters using it (real SMTP: GreenMail). */
@QuarkusTest
class RuleErrorMailTest {

    static final String GOOD = """
            package io.rulescaler.rules.test;
            import io.rulescaler.capacity.fact.*;
            rule "load high"
            when
                $c : ClusterView()
                $s : Sample( metric == "load", value > 10 )
            then
                insert( ScaleDecision.delta( $c.getName(), 1, "load " + $s.getValue() ) );
            end
            """;

    static List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(OrchestrationTestResources.mail().getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    @Test
    void aBrokenRuleSetIsMailedOnceToItsClusters() throws Exception {
        String n = Long.toString(System.nanoTime() % 1_000_000);
        String set = "mail-" + n;
        String to = "rules-" + n + "@example.com";
        asAdmin().contentType("text/plain").body(GOOD).put("/api/v1/rules/" + set + "/load.drl").then().statusCode(200);
        asAdmin().contentType("application/yaml")
                .body("provider: stub\nsize: {min: 0, max: 3}\nruleSet: " + set + "\nrecipients: [" + to + "]\n")
                .put("/api/v1/clusters/mailed-" + n).then().statusCode(201);

        String broken = GOOD.replace("value > 10", "value >> 10");
        asAdmin().contentType("text/plain").body(broken).put("/api/v1/rules/" + set + "/load.drl").then().statusCode(400);
        List<MimeMessage> mails = List.of();
        for (int i = 0; i < 80 && mails.isEmpty(); i++) {
            Thread.sleep(250);
            mails = mailsTo(to);
        }
        assertEquals(1, mails.size(), "one mail about the broken set");
        assertTrue(mails.get(0).getSubject().contains("mailed-" + n + ": rule errors"), mails.get(0).getSubject());
        String body = GreenMailUtil.getBody(mails.get(0));
        assertTrue(body.contains(set + "/load.drl:6:"), body);

        // the same errors again: no second mail
        asAdmin().contentType("text/plain").body(broken).put("/api/v1/rules/" + set + "/load.drl").then().statusCode(400);
        Thread.sleep(2000);
        assertEquals(1, mailsTo(to).size(), "the same errors are not mailed twice");
    }
}
