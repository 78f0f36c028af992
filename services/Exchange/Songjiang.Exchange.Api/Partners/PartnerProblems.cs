using Microsoft.AspNetCore.Mvc;

namespace Songjiang.Exchange.Api.Partners;

/// <summary>
/// The partner error catalogue (docs/partners.md): every refusal is a problem details document with a stable
/// <c>code</c>. Authentication failures never say which part of a signature was wrong beyond what the caller sent.
/// </summary>
public static class PartnerProblems
{
    /// <summary>The problem type base.</summary>
    public const string TypeBase = "https://g60.songjiang.gov.cn/problems/";

    /// <summary>Writes a problem.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string title, string detail)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "G60-HMAC-SHA256";
        }
        var problem = new ProblemDetails
        {
            Type = TypeBase + code,
            Status = status,
            Title = title,
            Detail = detail,
            Extensions = { ["code"] = code },
        };
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        }).AsTask();
    }

    /// <summary>401 with the given code.</summary>
    public static Task UnauthorizedAsync(HttpContext context, string code, string detail) =>
        WriteAsync(context, StatusCodes.Status401Unauthorized, code, "合作城市身份验证未通过", detail);
}
