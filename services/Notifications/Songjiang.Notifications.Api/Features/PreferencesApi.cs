using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Notifications.Api.Channels;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using System.Net.Mail;
using System.Security.Claims;
using System.Text.RegularExpressions;

namespace Songjiang.Notifications.Api.Features;

/// <summary>
/// Preferences of the caller's inbox: an enterprise's staff set their enterprise's, a caseworker their own. Muted
/// categories produce no message; e-mail and SMS copy every other message to the given address.
/// </summary>
public static partial class PreferencesApi
{
    /// <summary>Maps <c>/api/notifications/preferences</c>.</summary>
    public static IEndpointRouteBuilder MapPreferencesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/notifications/preferences").WithTags("Preferences").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/", GetAsync).WithName("GetPreferences").WithSummary("The preferences of the caller's inbox.");
        api.MapPut("/", PutAsync).WithName("SetPreferences").WithSummary("Sets muted categories and channels.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return endpoints;
    }

    private static async Task<Ok<PreferencesView>> GetAsync(ClaimsPrincipal user, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var key = KeyOf(user);
        var preference = await db.Preferences.AsNoTracking().SingleOrDefaultAsync(p => p.Recipient == key, cancellationToken);
        return TypedResults.Ok(View(preference));
    }

    private static async Task<Ok<PreferencesView>> PutAsync(
        PreferencesView request, ClaimsPrincipal user, NotificationsDbContext db, IEnumerable<IChannelSender> channels, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var key = KeyOf(user);
        var errors = new Dictionary<string, string[]>();
        var muted = new List<NotificationCategory>();
        foreach (var name in request.MutedCategories ?? [])
        {
            if (!Enum.TryParse<NotificationCategory>(name?.Trim(), ignoreCase: true, out var category) || !Enum.IsDefined(category))
            {
                errors["mutedCategories"] = [$"没有“{name}”这一消息类别。"];
            }
            else if (NotificationCategories.Mandatory.Contains(category))
            {
                errors["mutedCategories"] = [$"“{NotificationCategories.DisplayName(category)}”涉及办理期限或处理决定，不能屏蔽。"];
            }
            else if (!muted.Contains(category))
            {
                muted.Add(category);
            }
        }
        var email = request.EmailAddress?.Trim();
        if (!string.IsNullOrEmpty(email) && (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
        {
            errors["emailAddress"] = ["电子邮箱地址格式不正确。"];
        }
        else if (request.Email && string.IsNullOrEmpty(email))
        {
            errors["emailAddress"] = ["开启邮件通知需要填写电子邮箱地址。"];
        }
        else if (request.Email && !channels.Any(c => c.Channel == DeliveryChannel.Email && c.IsAvailable))
        {
            errors["email"] = ["本平台暂未开通邮件通知。"];
        }
        var mobile = request.MobileNumber?.Trim();
        if (!string.IsNullOrEmpty(mobile) && !MobilePattern().IsMatch(mobile))
        {
            errors["mobileNumber"] = ["手机号码应为 11 位中国大陆手机号。"];
        }
        else if (request.Sms && string.IsNullOrEmpty(mobile))
        {
            errors["mobileNumber"] = ["开启短信通知需要填写手机号码。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var preference = await db.Preferences.SingleOrDefaultAsync(p => p.Recipient == key, cancellationToken);
        if (preference is null)
        {
            preference = new Preference { Recipient = key };
            db.Preferences.Add(preference);
        }
        preference.MutedCategories = muted;
        preference.Email = request.Email;
        preference.Sms = request.Sms;
        preference.EmailAddress = string.IsNullOrEmpty(email) ? null : email;
        preference.MobileNumber = string.IsNullOrEmpty(mobile) ? null : mobile;
        preference.UpdatedBy = user.FindFirstValue(PlatformClaims.Subject);
        preference.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(preference));
    }

    private static string KeyOf(ClaimsPrincipal user) =>
        Recipients.PreferenceKeyOf(user) ?? throw new ForbiddenException("无法识别调用者身份。");

    private static PreferencesView View(Preference? p) =>
        p is null
            ? new PreferencesView([], false, false, null, null)
            : new PreferencesView([.. p.MutedCategories.Select(c => c.ToString())], p.Email, p.Sms, p.EmailAddress, p.MobileNumber);

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();
}
