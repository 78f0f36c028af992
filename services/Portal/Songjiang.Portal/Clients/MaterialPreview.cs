namespace Songjiang.Portal.Clients;

/// <summary>
/// <c>GET /files/applications/{number}/materials/{code}</c>: a material's file for in-browser preview, fetched with the
/// signed-in user's token (the cases service decides who may read it) and served inline from the portal's origin.
/// </summary>
public static class MaterialPreview
{
    private static readonly HashSet<string> Previewable = ["application/pdf", "image/png", "image/jpeg"];

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapMaterialPreview(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/files/applications/{number}/materials/{code}", async (string number, string code, PlatformApi api, HttpContext context) =>
            {
                try
                {
                    var file = await api.GetBytesAsync(
                        $"/api/cases/applications/{Uri.EscapeDataString(number)}/materials/{Uri.EscapeDataString(code)}", context.RequestAborted);
                    if (file is not { } found)
                    {
                        return Results.NotFound();
                    }
                    var type = found.ContentType.Split(';')[0].Trim();
                    // Only types a browser shows safely are shown inline; anything else is downloaded.
                    context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
                    return Previewable.Contains(type)
                        ? Results.File(found.Bytes, type)
                        : Results.File(found.Bytes, "application/octet-stream", code);
                }
                catch (ApiProblem problem)
                {
                    return Results.StatusCode((int)problem.Status);
                }
            })
            .RequireAuthorization()
            .ExcludeFromDescription();
        return endpoints;
    }
}
