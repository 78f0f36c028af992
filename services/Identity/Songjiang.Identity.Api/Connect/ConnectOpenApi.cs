using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using System.Text.Json.Nodes;

namespace Songjiang.Identity.Api.Connect;

/// <summary>
/// The OAuth 2.0 and OpenID Connect endpoints in the identity service's OpenAPI document, as OpenIddict really serves
/// them: the form-encoded requests it reads, the JSON it answers (RFC 6749 §5.1 tokens, §5.2 errors; OpenID Connect
/// Core §5.3 user info) and the redirects of the browser flows. The framework sees only the passthrough handlers'
/// <c>IResult</c>; the discovery document and the signing keys, which OpenIddict answers itself, it does not see at all.
/// </summary>
internal static class ConnectOpenApi
{
    private const string Json = "application/json";
    private const string Form = "application/x-www-form-urlencoded";
    private const string Html = "text/html";
    private const string Tag = "OpenID Connect";
    private const string ClientScheme = "clientSecretBasic";
    // Named in ServiceDefaults' OpenAPI document: the bearer scheme and the problem details schema.
    private const string BearerScheme = "bearer";
    private const string ProblemSchema = "ProblemDetails";

    /// <summary>Adds the transformer to the service's document.</summary>
    public static IServiceCollection AddConnectOpenApi(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        }));

    /// <summary>Completes the connect operations and adds discovery and the key set.</summary>
    public static void Describe(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.Schemas["TokenRequest"] = TokenRequest();
        document.Components.Schemas["TokenResponse"] = TokenResponse();
        document.Components.Schemas["OAuthError"] = OAuthError();
        document.Components.Schemas["AuthorizationRequest"] = AuthorizationRequest();
        document.Components.Schemas["EndSessionRequest"] = EndSessionRequest();
        document.Components.Schemas["UserInfo"] = UserInfo();
        document.Components.Schemas["OpenIdConfiguration"] = OpenIdConfiguration();
        document.Components.Schemas["JsonWebKeySet"] = JsonWebKeySet();
        document.Components.SecuritySchemes[ClientScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "A confidential client's id and secret (client_secret_basic, RFC 6749 §2.3.1); they may instead be sent "
                + "as client_id and client_secret in the form (client_secret_post). Public clients send only client_id.",
        };
        document.Paths ??= [];

        if (Operation(document, "/connect/token", HttpMethod.Post) is { } token)
        {
            token.Description = "RFC 6749 §4.1.3 (authorization_code with the PKCE code_verifier), §4.4 (client_credentials), §6 "
                + "(refresh_token) and, in the demo profile only, §4.3 (password). Errors are RFC 6749 §5.2 error responses.";
            token.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { [Form] = new() { Schema = Reference("TokenRequest", document) } },
            };
            token.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ClientScheme, document)] = [] },
                // Public clients, and confidential clients using client_secret_post.
                new OpenApiSecurityRequirement(),
            ];
            token.Responses ??= [];
            token.Responses.Remove("403");
            token.Responses["200"] = JsonResponse("The tokens (RFC 6749 §5.1).", "TokenResponse", document);
            var refused = OAuthErrorResponse(
                "invalid_request, invalid_grant (a wrong password, code, verifier or refresh token), unauthorized_client, "
                + "unsupported_grant_type or invalid_scope (RFC 6749 §5.2); a form that cannot be decoded at all is refused "
                + "before OpenIddict reads it, as problem details naming the form.", document);
            refused.Content!["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) };
            token.Responses["400"] = refused;
            var unknownClient = OAuthErrorResponse("invalid_client: the client is unknown or its secret is wrong (RFC 6749 §5.2).", document);
            unknownClient.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = new OpenApiHeader { Description = "The Basic challenge with the error.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            token.Responses["401"] = unknownClient;
            Sort(token);
        }

        foreach (var method in (HttpMethod[])[HttpMethod.Get, HttpMethod.Post])
        {
            if (Operation(document, "/connect/authorize", method) is { } authorize)
            {
                authorize.Description = "The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636, OpenID Connect Core §3.1). "
                    + "A browser is sent here, not an API client: the answer is a redirect, to the login page while the user is "
                    + "not signed in, then back to the client's registered redirect_uri with code and state (or error).";
                Input(authorize, method, "AuthorizationRequest", document);
                authorize.Responses ??= [];
                authorize.Responses["200"] = new OpenApiResponse
                {
                    Description = "With response_mode=form_post: an HTML page that posts code and state (or error) to the redirect_uri.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Html] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An HTML page with a self-submitting form." } },
                    },
                };
                authorize.Responses["302"] = Redirect(
                    "To the login page (/account/login) while the user is not signed in; otherwise to the redirect_uri with code and state "
                    + "in the query (or the fragment, as response_mode asks), or with error and error_description (RFC 6749 §4.1.2).");
                authorize.Responses["400"] = Problem("The request is invalid and cannot be answered at the redirect_uri (an unknown client, an unregistered redirect_uri, a missing parameter).", document);
                Sort(authorize);
            }

            if (Operation(document, "/connect/userinfo", method) is { } userInfo)
            {
                userInfo.Description = "OpenID Connect Core §5.3. Send the access token as a bearer token.";
                userInfo.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
                userInfo.Responses ??= [];
                userInfo.Responses["200"] = JsonResponse("The claims the access token's scopes allow: profile adds the names, the enterprise and the department, roles the roles.", "UserInfo", document);
                var unauthorized = Problem("No access token, or it is invalid, expired or its account no longer exists.", document);
                unauthorized.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["WWW-Authenticate"] = new OpenApiHeader
                    {
                        Description = "The Bearer challenge, with error=\"invalid_token\" and its description when a token was sent (RFC 6750 §3).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                };
                userInfo.Responses["401"] = unauthorized;
                Sort(userInfo);
            }

            if (Operation(document, "/connect/endsession", method) is { } endSession)
            {
                endSession.Description = "OpenID Connect RP-Initiated Logout 1.0. Ends the sign-in session of the browser.";
                Input(endSession, method, "EndSessionRequest", document);
                endSession.Responses ??= [];
                endSession.Responses.Remove("200");
                endSession.Responses["302"] = Redirect("To the client's registered post_logout_redirect_uri (with state), or to the site's start page.");
                Sort(endSession);
            }
        }

        AddGet(document, "/.well-known/openid-configuration", "GetOpenIdConfiguration",
            "The OpenID Provider metadata (OpenID Connect Discovery 1.0, RFC 8414).",
            JsonResponse("The provider's endpoints and what it supports.", "OpenIdConfiguration", document));
        AddGet(document, "/.well-known/jwks", "GetJsonWebKeySet",
            "The public keys that sign the platform's tokens (RFC 7517), to validate access and identity tokens.",
            JsonResponse("The signing keys.", "JsonWebKeySet", document));

        document.Tags ??= new HashSet<OpenApiTag>();
        if (!document.Tags.Any(t => t.Name == Tag))
        {
            document.Tags.Add(new OpenApiTag { Name = Tag });
        }
    }

    private static OpenApiOperation? Operation(OpenApiDocument document, string path, HttpMethod method) =>
        document.Paths.TryGetValue(path, out var item) && item.Operations?.TryGetValue(method, out var operation) == true
            ? operation
            : null;

    // The request's parameters: in the query for GET, in a form for POST (OpenID Connect Core §3.1.2.1).
    private static void Input(OpenApiOperation operation, HttpMethod method, string schema, OpenApiDocument document)
    {
        if (method == HttpMethod.Get)
        {
            var fields = (OpenApiSchema)document.Components!.Schemas![schema];
            operation.Parameters = [.. fields.Properties!.Select(p => (IOpenApiParameter)new OpenApiParameter
            {
                Name = p.Key,
                In = ParameterLocation.Query,
                Required = fields.Required?.Contains(p.Key) == true,
                Description = p.Value.Description,
                Schema = Plain((OpenApiSchema)p.Value),
            })];
        }
        else
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { [Form] = new() { Schema = Reference(schema, document) } },
            };
        }
    }

    private static OpenApiSchema Plain(OpenApiSchema schema) => new() { Type = schema.Type, Enum = schema.Enum };

    private static void AddGet(OpenApiDocument document, string path, string operationId, string summary, OpenApiResponse success)
    {
        var operation = new OpenApiOperation
        {
            OperationId = operationId,
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
            // Callable without credentials.
            Security = [new OpenApiSecurityRequirement()],
            Responses = new OpenApiResponses
            {
                ["200"] = success,
                ["429"] = Problem("The caller has used up its request allowance; see Retry-After.", document),
                ["500"] = Problem("The request could not be completed; quote the correlation id.", document),
            },
        };
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, operation);
        document.Paths[path] = item;
    }

    private static OpenApiSchemaReference Reference(string schema, OpenApiDocument document) => new(schema, document);

    private static OpenApiResponse JsonResponse(string description, string schema, OpenApiDocument document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = Reference(schema, document) } },
    };

    // OpenIddict writes the token endpoint's errors as RFC 6749 §5.2 JSON, not as problem details.
    private static OpenApiResponse OAuthErrorResponse(string description, OpenApiDocument document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = Reference("OAuthError", document) } },
    };

    // Responses by status, as the rest of the document lists them.
    private static void Sort(OpenApiOperation operation)
    {
        var sorted = new OpenApiResponses();
        foreach (var (status, response) in operation.Responses!.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sorted[status] = response;
        }
        operation.Responses = sorted;
    }

    private static OpenApiResponse Problem(string description, OpenApiDocument document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
        },
    };

    private static OpenApiResponse Redirect(string description) => new()
    {
        Description = description,
        Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Location"] = new OpenApiHeader { Description = "Where the browser goes next.", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" } },
        },
    };

    private static OpenApiSchema Text(string description, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };

    private static OpenApiSchema OneOf(string description, params string[] values) =>
        new() { Type = JsonSchemaType.String, Description = description, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)!)] };

    private static OpenApiSchema TextArray(string description) =>
        new() { Type = JsonSchemaType.Array, Description = description, Items = new OpenApiSchema { Type = JsonSchemaType.String } };

    private static OpenApiSchema ObjectOf(string description, Dictionary<string, IOpenApiSchema> properties, params string[] required) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties,
        Required = new HashSet<string>(required, StringComparer.Ordinal),
    };

    private static OpenApiSchema TokenRequest() => ObjectOf(
        "A token request (RFC 6749 §4.1.3, §4.3.2, §4.4.2, §6); which fields apply depends on grant_type.",
        new()
        {
            ["grant_type"] = OneOf("The grant; password only in the demo profile.", "authorization_code", "client_credentials", "refresh_token", "password"),
            ["client_id"] = Text("The client, unless it authenticates with HTTP Basic."),
            ["client_secret"] = Text("A confidential client's secret, unless it authenticates with HTTP Basic."),
            ["scope"] = Text("Space-separated scopes: openid, profile, roles, offline_access, api."),
            ["code"] = Text("authorization_code: the code the authorization endpoint returned."),
            ["redirect_uri"] = Text("authorization_code: the redirect_uri of the authorization request.", "uri"),
            ["code_verifier"] = Text("authorization_code: the PKCE verifier of the code_challenge (RFC 7636)."),
            ["refresh_token"] = Text("refresh_token: the refresh token."),
            ["username"] = Text("password: the user name."),
            ["password"] = Text("password: the password.", "password"),
        },
        "grant_type");

    private static OpenApiSchema TokenResponse() => ObjectOf(
        "A successful token response (RFC 6749 §5.1; OpenID Connect Core §3.1.3.3).",
        new()
        {
            ["access_token"] = Text("The access token: a JWT signed with a key of /.well-known/jwks (RFC 9068)."),
            ["token_type"] = OneOf("Always Bearer.", "Bearer"),
            ["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "The access token's lifetime in seconds." },
            ["refresh_token"] = Text("With the offline_access scope: a refresh token for the refresh_token grant."),
            ["id_token"] = Text("With the openid scope in a user's flow: the identity token (a JWT)."),
            ["scope"] = Text("The granted scopes, space-separated."),
        },
        "access_token", "token_type");

    private static OpenApiSchema OAuthError()
    {
        var error = ObjectOf(
            "An OAuth 2.0 error response (RFC 6749 §5.2).",
            new()
            {
                ["error"] = Text("The error code: invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_token or temporarily_unavailable."),
                ["error_description"] = Text("What went wrong, for a person to read."),
                ["error_uri"] = Text("A page about the error.", "uri"),
            },
            "error");
        error.Examples = [JsonNode.Parse("""{"error":"invalid_grant","error_description":"The specified authorization code is invalid."}""")!];
        return error;
    }

    private static OpenApiSchema AuthorizationRequest() => ObjectOf(
        "An authorization request of the code flow with PKCE (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1).",
        new()
        {
            ["response_type"] = OneOf("Always code.", "code"),
            ["client_id"] = Text("The client."),
            ["redirect_uri"] = Text("One of the client's registered redirect URIs.", "uri"),
            ["scope"] = Text("Space-separated scopes: openid, profile, roles, offline_access, api."),
            ["state"] = Text("An opaque value returned unchanged to the redirect_uri."),
            ["nonce"] = Text("A value bound into the identity token."),
            ["code_challenge"] = Text("The PKCE challenge: BASE64URL(SHA-256(code_verifier))."),
            ["code_challenge_method"] = OneOf("S256 (advised) or plain.", "S256", "plain"),
            ["response_mode"] = OneOf("How the code returns: in the query (the default), in the fragment, or with an auto-posted form.", "query", "fragment", "form_post"),
            ["prompt"] = Text("none: fail with login_required instead of showing the login page; login: sign in again."),
        },
        "response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method");

    private static OpenApiSchema EndSessionRequest() => ObjectOf(
        "A logout request (OpenID Connect RP-Initiated Logout 1.0 §2).",
        new()
        {
            ["id_token_hint"] = Text("The identity token the client holds for the user."),
            ["client_id"] = Text("The client."),
            ["post_logout_redirect_uri"] = Text("One of the client's registered post-logout redirect URIs.", "uri"),
            ["state"] = Text("An opaque value returned unchanged to the post_logout_redirect_uri."),
        });

    private static OpenApiSchema UserInfo() => ObjectOf(
        "Claims about the user (OpenID Connect Core §5.3.2); a claim without a value is left out.",
        new()
        {
            ["sub"] = Text("The user's id."),
            ["name"] = Text("profile: the display name."),
            ["preferred_username"] = Text("profile: the user name."),
            ["uscc"] = Text("profile: the enterprise's unified social credit code (统一社会信用代码), for enterprise users."),
            ["enterprise_name"] = Text("profile: the enterprise's name, for enterprise users."),
            ["department"] = Text("profile: the department, for officers."),
            ["city"] = Text("profile: the partner city's code, for partner city users."),
            ["role"] = TextArray("roles: the user's roles."),
        },
        "sub");

    private static OpenApiSchema OpenIdConfiguration()
    {
        var configuration = ObjectOf(
            "OpenID Provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2); further members may be present.",
            new()
            {
                ["issuer"] = Text("The issuer: the gateway's address.", "uri"),
                ["authorization_endpoint"] = Text("/connect/authorize.", "uri"),
                ["token_endpoint"] = Text("/connect/token.", "uri"),
                ["userinfo_endpoint"] = Text("/connect/userinfo.", "uri"),
                ["end_session_endpoint"] = Text("/connect/endsession.", "uri"),
                ["jwks_uri"] = Text("/.well-known/jwks.", "uri"),
                ["grant_types_supported"] = TextArray("The grants the token endpoint accepts."),
                ["response_types_supported"] = TextArray("The response types the authorization endpoint accepts."),
                ["response_modes_supported"] = TextArray("The response modes the authorization endpoint accepts."),
                ["scopes_supported"] = TextArray("The registered scopes."),
                ["claims_supported"] = TextArray("The claims the provider can issue."),
                ["id_token_signing_alg_values_supported"] = TextArray("The identity tokens' signing algorithms."),
                ["code_challenge_methods_supported"] = TextArray("The PKCE methods."),
                ["subject_types_supported"] = TextArray("The subject identifier types."),
                ["token_endpoint_auth_methods_supported"] = TextArray("How clients authenticate at the token endpoint."),
            },
            "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "response_types_supported", "subject_types_supported",
            "id_token_signing_alg_values_supported");
        return configuration;
    }

    private static OpenApiSchema JsonWebKeySet() => ObjectOf(
        "A JSON Web Key Set (RFC 7517 §5).",
        new()
        {
            ["keys"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = ObjectOf(
                    "A public key (RFC 7517 §4, RFC 7518 §6).",
                    new()
                    {
                        ["kty"] = Text("The key type: RSA or EC."),
                        ["use"] = Text("sig: the key signs tokens."),
                        ["kid"] = Text("The key's id, as in the tokens' kid header."),
                        ["alg"] = Text("The signing algorithm."),
                        ["n"] = Text("RSA: the modulus, base64url."),
                        ["e"] = Text("RSA: the exponent, base64url."),
                        ["crv"] = Text("EC: the curve."),
                        ["x"] = Text("EC: the x coordinate, base64url."),
                        ["y"] = Text("EC: the y coordinate, base64url."),
                        ["x5t"] = Text("The certificate's SHA-1 thumbprint, base64url."),
                        ["x5c"] = TextArray("The certificate chain, base64."),
                    },
                    "kty"),
            },
        },
        "keys");
}
