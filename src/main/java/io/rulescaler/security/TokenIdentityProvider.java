package io.rulescaler.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

/** Turns a bearer token into an identity with the token's role and the roles it implies. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Identity attribute holding the node id a {@code node} token is bound to ("" for other tokens). */
    public static final String NODE_ATTRIBUTE = "token.node";
    private final TokenService tokens;

    public TokenIdentityProvider(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        return context.runBlocking(() -> lookup(secret));
    }

    @ActivateRequestContext
    SecurityIdentity lookup(String secret) {
        return tokens.lookup(secret)
                .map(t -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(t.name))
                        .addRoles(Roles.implied(t.role))
                        .addAttribute("token.role", t.role)
                        .addAttribute(NODE_ATTRIBUTE, t.nodeId == null ? "" : t.nodeId.toString())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown token"));
    }
}
