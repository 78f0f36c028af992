using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>
/// The last problem details writer: writes <c>application/problem+json</c> whatever the caller's <c>Accept</c> header
/// says. The framework's writer declines when a caller accepts only, say, <c>text/html</c>; without this one the
/// error would escape as an unhandled exception (a 500, or in Development the exception page with its stack trace).
/// An API has no other representation of an error, so it answers in the one it has (RFC 9110 §12.1 allows it).
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions)
    : IProblemDetailsWriter
{
    private const string ContentType = "application/problem+json";

    /// <inheritdoc />
    public bool CanWrite(ProblemDetailsContext context) => true;

    /// <inheritdoc />
    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        var problem = context.ProblemDetails;
        problem.Status ??= response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(response.WriteAsJsonAsync(problem, problem.GetType(), jsonOptions.Value.SerializerOptions, ContentType));
    }
}
