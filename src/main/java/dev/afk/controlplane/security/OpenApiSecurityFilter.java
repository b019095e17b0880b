package dev.afk.controlplane.security;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Points Swagger UI's OIDC log-in at the issuer configured at run time (the document itself is
 * built with the image) and offers a plain bearer scheme beside it for pasting a token. Each
 * operation's requirement names the roles it allows, so the document states the access rules.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiSecurityFilter implements OASFilter {

    static final String OIDC = "oidc";
    static final String BEARER = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Optional<String> issuer = ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.auth-server-url", String.class)
                .filter(url -> !url.isBlank());
        if (issuer.isPresent()) {
            String base = issuer.get().endsWith("/") ? issuer.get() : issuer.get() + "/";
            openAPI.getComponents().addSecurityScheme(OIDC, OASFactory.createSecurityScheme()
                    .type(SecurityScheme.Type.OPENIDCONNECT)
                    .openIdConnectUrl(base + ".well-known/openid-configuration"));
        } else if (openAPI.getComponents().getSecuritySchemes() != null) {
            openAPI.getComponents().removeSecurityScheme(OIDC);
        }
        openAPI.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("An access token from the identity provider"));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                .forEach(operation -> offerBothSchemes(operation, issuer.isPresent())));
    }

    private static void offerBothSchemes(Operation operation, boolean oidcAvailable) {
        List<SecurityRequirement> security = operation.getSecurity();
        if (security == null || security.isEmpty()) {
            return;
        }
        // The roles the operation allows stay in the document (OpenAPI 3.1 allows role names for any scheme).
        List<String> roles = security.stream().filter(requirement -> requirement.getSchemes() != null)
                .flatMap(requirement -> requirement.getSchemes().values().stream())
                .filter(Objects::nonNull).flatMap(List::stream).distinct().toList();
        List<SecurityRequirement> alternatives = new ArrayList<>();
        if (oidcAvailable) {
            alternatives.add(OASFactory.createSecurityRequirement().addScheme(OIDC, roles));
        }
        alternatives.add(OASFactory.createSecurityRequirement().addScheme(BEARER, roles));
        operation.setSecurity(alternatives);
    }
}
