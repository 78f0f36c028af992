using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Songjiang.ServiceDefaults.OpenApi;

/// <summary>One OpenAPI document per service at <c>/openapi/v1.json</c>, describing bearer authentication.</summary>
public static class OpenApiExtensions
{
    /// <summary>Registers the service's OpenAPI document.</summary>
    public static TBuilder AddPlatformOpenApi<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var title = builder.Configuration["Service:Title"] ?? builder.Environment.ApplicationName;
        // The gateway's address: the token authority of a service, the issuer of the identity service.
        var publicUrl = builder.Configuration["Authentication:Authority"] ?? builder.Configuration["Identity:Issuer"];
        builder.Services.AddOpenApi(options => options.AddOperationTransformer(PlatformOpenApiTransformers.TransformOperation).AddDocumentTransformer((document, _, _) =>
        {
            PlatformOpenApiTransformers.TransformDocument(document, publicUrl);
            document.Info.Title = title;
            document.Info.Version = "v1";
            document.Info.Description = builder.Configuration["Service:Description"];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[PlatformOpenApiTransformers.BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from the platform's token endpoint, /connect/token.",
            };
            return Task.CompletedTask;
        }));
        return builder;
    }
}
