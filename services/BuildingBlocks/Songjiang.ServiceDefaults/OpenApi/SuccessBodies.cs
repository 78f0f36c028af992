using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Songjiang.ServiceDefaults.OpenApi;

/// <summary>
/// Declares success bodies the framework cannot infer from a handler's return type: files, pages and event streams.
/// Each replaces the operation's 200 response with the media types the endpoint really writes.
/// </summary>
public static class SuccessBodies
{
    /// <summary>A file in one of <paramref name="mediaTypes"/>: its bytes, as <c>type: string, format: binary</c>.</summary>
    public static TBuilder ProducesFile<TBuilder>(this TBuilder builder, string description, params string[] mediaTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesBody(description, mediaTypes, () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" });

    /// <summary>A text body (an HTML page, an event stream) in <paramref name="mediaType"/>, its format described.</summary>
    public static TBuilder ProducesText<TBuilder>(this TBuilder builder, string mediaType, string description, string format)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesBody(description, [mediaType], () => new OpenApiSchema { Type = JsonSchemaType.String, Description = format });

    /// <summary>A body of the given schema in each of <paramref name="mediaTypes"/>.</summary>
    public static TBuilder ProducesBody<TBuilder>(this TBuilder builder, string description, string[] mediaTypes, Func<IOpenApiSchema> schema)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentOutOfRangeException.ThrowIfZero(mediaTypes.Length);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            operation.Responses[StatusCodes.Status200OK.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = description,
                Content = mediaTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema() }, StringComparer.Ordinal),
            };
            return Task.CompletedTask;
        });
    }
}
