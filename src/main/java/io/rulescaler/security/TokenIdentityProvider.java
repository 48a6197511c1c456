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

/**
 * Turns a bearer token into an identity with the token's role and the roles it implies; a token
 * that authenticated recently is taken from the {@link TokenCache} without a database read.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Identity attribute holding the node id a {@code node} token is bound to ("" for other tokens). */
    public static final String NODE_ATTRIBUTE = "token.node";
    private final TokenService tokens;
    private final TokenCache cache;

    public TokenIdentityProvider(TokenService tokens, TokenCache cache) {
        this.tokens = tokens;
        this.cache = cache;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        String hash = TokenService.hash(secret);
        return cache.get(hash)
                .map(e -> Uni.createFrom().item(identity(e.name(), e.role(), e.nodeId())))
                .orElseGet(() -> context.runBlocking(() -> lookup(secret, hash)));
    }

    @ActivateRequestContext
    SecurityIdentity lookup(String secret, String hash) {
        ApiTokenEntity t = tokens.lookup(secret).orElseThrow(() -> new AuthenticationFailedException("unknown token"));
        String node = t.nodeId == null ? "" : t.nodeId.toString();
        cache.put(hash, t.name, t.role, node);
        return identity(t.name, t.role, node);
    }

    private static SecurityIdentity identity(String name, String role, String node) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .addRoles(Roles.implied(role))
                .addAttribute("token.role", role)
                .addAttribute(NODE_ATTRIBUTE, node)
                .build();
    }
}
