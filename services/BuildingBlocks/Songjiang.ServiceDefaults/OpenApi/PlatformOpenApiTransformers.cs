using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using System.Text.Json.Nodes;

namespace Songjiang.ServiceDefaults.OpenApi;

/// <summary>
/// Completes every operation from its endpoint's metadata, so no endpoint has to repeat it: the security requirement
/// (bearer when the endpoint requires authorization, explicitly none otherwise) and the problem responses every
/// platform endpoint can give, each with the problem details schema (RFC 9457).
/// </summary>
internal static class PlatformOpenApiTransformers
{
    /// <summary>The security scheme's name in the document.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>The problem details schema's name in the document.</summary>
    public const string ProblemSchema = "ProblemDetails";

    private const string ProblemMediaType = "application/problem+json";

    /// <summary>Declares the security requirement and the problem responses of one operation.</summary>
    public static Task TransformOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        operation.Security = secured
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }]
            // An empty requirement: callable without credentials (OpenAPI 3.1 §4.8.30).
            : [new OpenApiSecurityRequirement()];

        operation.Responses ??= [];
        var hasInput = operation.RequestBody is not null || operation.Parameters?.Count > 0;
        var hasPathParameters = operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true;
        if (hasInput)
        {
            AddProblem(operation, context, "400", "The request is invalid; the problem names each failing field.");
        }
        if (secured)
        {
            AddProblem(operation, context, "401", "No valid access token was sent.");
            AddProblem(operation, context, "403", "The caller may not do this.");
        }
        if (hasPathParameters)
        {
            AddProblem(operation, context, "404", "Not found, or not visible to the caller.");
        }
        AddProblem(operation, context, "429", "The caller has used up its request allowance; see Retry-After.");
        AddProblem(operation, context, "500", "The request could not be completed; quote the correlation id.");

        // Problems an endpoint declared itself (Results<…, NotFound<ProblemDetails>>) are written as
        // application/problem+json, whatever media type the declaration inferred.
        foreach (var (status, declared) in operation.Responses)
        {
            if (status[0] is '4' or '5' && declared is OpenApiResponse response && response.Content is { } content
                && !content.ContainsKey(ProblemMediaType))
            {
                response.Content = content.TryGetValue("application/json", out var json) && json.Schema is not null
                    ? new Dictionary<string, OpenApiMediaType> { [ProblemMediaType] = json }
                    : ProblemContent(context);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Adds the shared components and the public server address to the document.</summary>
    public static void TransformDocument(OpenApiDocument document, string? publicUrl)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema, ProblemDetailsSchema());
        // One operation id per operation: an endpoint mapped for several methods shares its name among them.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, item) in document.Paths ?? [])
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                operation.OperationId ??= method.Method.ToLowerInvariant() + string.Concat(path.Split('/', '{', '}', '-', '.')
                    .Where(part => part.Length > 0).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
                if (!seen.Add(operation.OperationId))
                {
                    operation.OperationId += char.ToUpperInvariant(method.Method[0]) + method.Method[1..].ToLowerInvariant();
                    seen.Add(operation.OperationId);
                }
            }
        }
        // Clients call through the gateway, never a service's own port; and server URLs carry no trailing slash.
        document.Servers = publicUrl is null
            ? [.. (document.Servers ?? []).Select(server => new OpenApiServer { Url = server.Url?.TrimEnd('/'), Description = server.Description })]
            : [new OpenApiServer { Url = publicUrl.TrimEnd('/'), Description = "The platform's gateway" }];
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing))
        {
            // A declared problem keeps its description but gets the schema if it had none.
            if (existing is OpenApiResponse response && (response.Content is null || response.Content.Count == 0))
            {
                response.Content = ProblemContent(context);
            }
            return;
        }
        operation.Responses[status] = new OpenApiResponse { Description = description, Content = ProblemContent(context) };
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiOperationTransformerContext context) => new()
    {
        [ProblemMediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
    };

    private static OpenApiSchema ProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. Validation problems add errors by field; every problem carries the correlation id.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        Examples = [JsonNode.Parse("""{"title":"提交的内容有误","status":400,"detail":"uscc: 统一社会信用代码校验位不正确。","errors":{"uscc":["统一社会信用代码校验位不正确。"]},"correlationId":"4bf92f3577b34da6a3ce929d0e0e4736"}""")!],
    };
}
