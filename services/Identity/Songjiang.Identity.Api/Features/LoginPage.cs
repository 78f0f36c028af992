using Songjiang.Identity.Api.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using System.Text.Encodings.Web;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Identity.Api.Features;

/// <summary>
/// The sign-in page of the authorization code flow: a plain server-rendered form with antiforgery protection.
/// It signs the user into a cookie session and returns to the pending authorization request.
/// </summary>
public static class LoginPage
{
    /// <summary>Path of the page.</summary>
    public const string Path = "/account/login";

    /// <summary>Maps <c>GET</c> and <c>POST /account/login</c>.</summary>
    public static IEndpointRouteBuilder MapLoginPage(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/account").WithTags("Sign-in").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, returnUrl, error: null));
        group.MapPost("/login", SignInAsync);
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, AccountStore accounts, [FromForm] LoginForm form)
    {
        var outcome = await accounts.SignInAsync(form.UserName, form.Password, context.RequestAborted);
        if (outcome.User is not { } user)
        {
            if (outcome.LockedUntil is { } until)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling((until - DateTimeOffset.UtcNow).TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Page(context, antiforgery, form.ReturnUrl, outcome.Refusal, StatusCodes.Status429TooManyRequests);
            }
            return Page(context, antiforgery, form.ReturnUrl, outcome.Refusal, StatusCodes.Status400BadRequest);
        }

        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Id.ToString()));
        identity.AddClaim(new Claim(Claims.Name, user.DisplayName));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));

        // Only local return addresses: never an open redirect.
        return Results.LocalRedirect(IsLocal(form.ReturnUrl) ? form.ReturnUrl! : "/");
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var message = error is null ? "" : $"<p class=\"error\" role=\"alert\">{html.Encode(error)}</p>";
        var body = $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>登录 · 松江一网通办 Sign in</title>
            <style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}
            label{display:block;margin-top:1rem}input{width:100%;padding:.5rem}button{margin-top:1.5rem;padding:.5rem 1rem}
            .error{color:#b00020}</style></head>
            <body>
            <h1>松江一网通办</h1><p>Songjiang G60 one-stop government services — sign in</p>
            {{message}}
            <form method="post" action="{{Path}}">
              <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? "")}}">
              <input type="hidden" name="returnUrl" value="{{html.Encode(returnUrl ?? "/")}}">
              <label for="userName">用户名 User name</label><input id="userName" name="userName" autocomplete="username" required>
              <label for="password">密码 Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">登录 Sign in</button>
            </form>
            </body></html>
            """;
        return Results.Content(body, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The posted form.</summary>
    public sealed record LoginForm(string? UserName, string? Password, string? ReturnUrl);
}
