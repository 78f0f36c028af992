using System.Text;
using System.Text.Json;

namespace Songjiang.Notifications.Tests.Support;

/// <summary>Reads claims of an access token the identity service issued (it is signed; the test only reads it).</summary>
public static class Tokens
{
    /// <summary>The <c>sub</c> claim.</summary>
    public static string Subject(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.GetProperty("sub").GetString()!;
    }
}
