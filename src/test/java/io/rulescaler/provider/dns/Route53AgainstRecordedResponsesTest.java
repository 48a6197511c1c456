package io.rulescaler.provider.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.RecordedAwsResponder;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The Route 53 registrar with the real AWS SDK v2 client against a local responder replaying recorded
 * Route 53 answers (AWS is unreachable from tests): the change batches it sends and how it reads answers.
 */
class Route53AgainstRecordedResponsesTest {

    static final String RRSET = "/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset";

    static Route53Client client(RecordedAwsResponder aws) {
        return Route53Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.AWS_GLOBAL)
                .endpointOverride(URI.create(aws.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    @Test
    void upsertSendsOneSignedUpsertOfTheARecord() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/route53/")
                .replay("POST " + RRSET, 200, "ChangeResourceRecordSets.xml");
                Route53Client client = client(aws)) {
            new Route53Registrar(client, "Z1D633PJN98FT9", 60).upsert("3.eu-west-1a.web.example.com", "10.0.1.9");

            RecordedAwsResponder.Request sent = aws.requests().get(0);
            assertEquals("POST " + RRSET, sent.call());
            String body = sent.body().replaceAll("\\s+", "");
            assertTrue(body.contains("<Action>UPSERT</Action>"), body);
            assertTrue(body.contains("<Name>3.eu-west-1a.web.example.com.</Name><Type>A</Type><TTL>60</TTL>"), body);
            assertTrue(body.contains("<Value>10.0.1.9</Value>"), body);
            assertTrue(sent.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), sent.authorization());
            assertTrue(sent.authorization().contains("/route53/aws4_request"), sent.authorization());
        }
    }

    @Test
    void removeDeletesExactlyTheRecordFoundForTheName() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/route53/")
                .replay("GET " + RRSET, 200, "ListResourceRecordSets.xml")
                .replay("POST " + RRSET, 200, "ChangeResourceRecordSets.xml");
                Route53Client client = client(aws)) {
            new Route53Registrar(client, "Z1D633PJN98FT9", 60).remove("3.eu-west-1a.web.example.com");

            List<String> calls = aws.requests().stream().map(RecordedAwsResponder.Request::call).toList();
            assertEquals(List.of("GET " + RRSET, "POST " + RRSET), calls);
            String body = aws.requests().get(1).body().replaceAll("\\s+", "");
            assertTrue(body.contains("<Action>DELETE</Action>"), body);
            assertTrue(body.contains("<Value>10.0.1.9</Value>"), body);
            assertFalse(body.contains("10.0.1.10"), "the neighbour listed after it is left alone: " + body);
        }
    }

    @Test
    void removingANameThatIsNotThereSendsNoChange() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/route53/")
                .replay("GET " + RRSET, 200, "ListResourceRecordSets.xml");
                Route53Client client = client(aws)) {
            new Route53Registrar(client, "Z1D633PJN98FT9", 60).remove("9.eu-west-1a.web.example.com");
            assertEquals(1, aws.requests().size());
        }
    }

    @Test
    void missingHostedZoneFailsForGood() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/route53/")
                .replay("POST /2013-04-01/hostedzone/ZGONE/rrset", 404, "Error-NoSuchHostedZone.xml");
                Route53Client client = client(aws)) {
            DnsException failure = assertThrows(DnsException.class,
                    () -> new Route53Registrar(client, "ZGONE", 60).upsert("1.web.example.com", "10.0.0.1"));
            assertTrue(failure.getMessage().contains("NoSuchHostedZone"), failure.getMessage());
            assertFalse(failure.retryable());
        }
    }
}
